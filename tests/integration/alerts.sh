#!/bin/sh
# The operator's monitoring files (contrib/prometheus, contrib/grafana):
# the alert rules are promtool clean and pass their unit tests, the
# example configuration is valid with the rules it loads, every alert has
# a severity, a summary naming the channel and a runbook pointing at a man
# page section that exists, and is unit tested; every dashboard is JSON
# with its data source variable and a channel variable, and every metric
# the rules and dashboards name is one the programs write.  Without
# promtool the promtool checks are skipped, except under CI, where that
# is a failure.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

cd "$RV_TOP" || exit 1
P=contrib/prometheus
rules=$P/retrovue.rules.yml
tests=$P/retrovue.rules.test.yml

# show FILE: a command's output under a failed check.
show() {
	sed 's/^/#   /' "$1" | head -n 40
}

if command -v promtool >/dev/null 2>&1; then
	check "promtool check rules: $rules" \
	    sh -c "promtool check rules '$rules' >'$T/rules.out' 2>&1" || show "$T/rules.out"
	check_eq "and it is clean (no lint, no warning)" "" \
	    "$(grep -i -e warn -e lint -e duplicate "$T/rules.out")"
	# The rule file beside the copy is found by its full path.
	sed "s#^\( *- \)retrovue.rules.yml\$#\1$RV_TOP/$rules#" \
	    $P/prometheus.yml >"$T/prometheus.yml"
	check_grep "the copy of prometheus.yml names the rules by their path" \
	    "$RV_TOP/$rules" "$T/prometheus.yml"
	check "promtool check config: $P/prometheus.yml" \
	    sh -c "promtool check config '$T/prometheus.yml' >'$T/config.out' 2>&1" ||
	    show "$T/config.out"
	check_grep "and it loads the rule file" "SUCCESS: 1 rule files found" "$T/config.out"
	check_eq "and it is clean (no lint, no warning)" "" \
	    "$(grep -i -e warn -e lint -e duplicate "$T/config.out")"
	check "promtool test rules: $tests" \
	    sh -c "promtool test rules '$tests' >'$T/test.out' 2>&1" || show "$T/test.out"
elif [ -n "${CI:-}" ]; then
	not_ok "promtool is installed (scripts/deps: prometheus)"
else
	echo "# SKIP: no promtool (apt-get install prometheus): the rules were not checked or tested"
fi

# Each alert: NAME and what it lacks, from the rule file as written (one
# `- alert:` per rule, its labels and annotations below it).
awk '
function report() {
	if (name == "")
		return
	n++
	miss = ""
	if (!sev) miss = miss " severity(page|ticket)"
	if (!sum) miss = miss " summary(with $labels.channel)"
	if (!rb) miss = miss " runbook"
	if (miss != "") print name ":" miss
}
/^ *- alert: / { report(); name = $3; sev = sum = rb = 0; next }
/^ *severity: (page|ticket) *$/ { sev = 1 }
/^ *summary: .*\$labels\.channel/ { sum = 1 }
/^ *runbook: / { rb = 1 }
END { report(); if (n == 0) print "no alert at all" }
' "$rules" >"$T/lacks"
check_eq "every alert has a severity, a summary with the channel and a runbook" "" \
    "$(cat "$T/lacks")"
alerts=$(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "$rules")
untested=""
for a in $alerts; do
	grep -q "alertname: $a\$" "$tests" || untested="$untested $a"
done
check_eq "every alert has unit tests" "" "$untested"
# "man 7 retrovue, section TROUBLESHOOTING": man/retrovue.7 has that .Sh.
nowhere=""
sed -n 's/^ *runbook: *"\(.*\)" *$/\1/p' "$rules" | sort -u >"$T/runbooks"
while IFS= read -r rb; do
	sec=${rb#man }
	sec=${sec%% *}
	page=${rb#man "$sec" }
	page=${page%%,*}
	name=${rb#*, section }
	case $rb in
	"man $sec $page, section $name") ;;
	*) nowhere="$nowhere [$rb: not 'man N PAGE, section NAME']"; continue ;;
	esac
	grep -qx "\.Sh $name" "man/$page.$sec" 2>/dev/null ||
	    nowhere="$nowhere [$rb: no such section in man/$page.$sec]"
done <"$T/runbooks"
check_eq "every runbook names a man page section that exists" "" "$nowhere"
check "and there are runbooks" test -s "$T/runbooks"

dashboards=$(ls contrib/grafana/dashboards/*.json)
check "four dashboards" test "$(echo "$dashboards" | wc -l)" -ge 4
good=""
for d in $dashboards; do
	if ! jq -e . "$d" >/dev/null 2>"$T/jq.err"; then
		not_ok "$d is JSON"
		show "$T/jq.err"
		continue
	fi
	ok "$d is JSON"
	good="$good $d"
	# A data source variable, and every Prometheus query goes through it.
	check_eq "$d: its data source is a variable, used by every panel and query" \
	    "true" "$(jq '
	        [.templating.list[] | select(.type == "datasource" and .query == "prometheus") | .name] as $v |
	        ($v | length == 1) and
	        ([.. | objects | select(has("datasource")) | .datasource |
	            select(type == "object" and .type == "prometheus") | .uid] |
	            all(. == "${\($v[0])}"))' "$d")"
	check_eq "$d: a uid, a title and a channel variable" "true" "$(jq '
	    (.uid | type == "string" and length > 0) and (.title | length > 0) and
	    any(.templating.list[]; .name == "channel" and
	        (.query | tostring | contains("label_values(rv_metrics_updated_timestamp_seconds, channel)")))' "$d")"
done
# shellcheck disable=SC2086 # $good: file names without blanks
check_eq "the dashboards' uids are all different" \
    "$(jq -r .uid $good | wc -l | tr -d ' ')" \
    "$(jq -r .uid $good | sort -u | wc -l | tr -d ' ')"

# Every metric named is written by a program: its name (a histogram's
# without _bucket, _sum or _count) is in the sources.
grep -rhoE 'rv_[a-z0-9_]+' cmd lib | sort -u >"$T/written"
{
	grep -oE 'rv_[a-z0-9_]+' "$rules"
	# shellcheck disable=SC2086
	jq -r '.. | objects | (.expr?, .definition?) | strings' $good |
	    grep -oE 'rv_[a-z0-9_]+'
} | sort -u >"$T/named"
unknown=""
while IFS= read -r m; do
	base=$(echo "$m" | sed -E 's/_(bucket|sum|count)$//')
	grep -qx -e "$m" -e "$base" "$T/written" || unknown="$unknown $m"
done <"$T/named"
check_eq "every metric the rules and dashboards name is written by a program" "" "$unknown"
done_testing
