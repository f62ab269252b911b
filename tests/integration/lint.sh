#!/bin/sh
# The files an operator installs or reads: every shell script shellcheck
# clean, every man page mandoc -Tlint clean, the systemd units
# systemd-analyze verify clean (with the binaries of this build in place
# of /usr/local/bin).
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

cd "$RV_TOP" || exit 1
check "shellcheck: scripts, tests, rv-channel, .ci/run" \
    shellcheck -S warning scripts/* tests/*.sh tests/integration/*.sh \
    tests/fuzz/*.sh .ci/run cmd/rv-*.sh bench/*.sh
# shellcheck disable=SC2046
check "mandoc -Tlint: every man page" mandoc -Tlint -Wwarning $(ls man/*.[1-8])
bin=$(dirname "$(command -v rv-serve)")
mkdir "$T/units"
for u in contrib/systemd/*; do
	sed "s#/usr/local/bin/#$bin/#" "$u" >"$T/units/${u##*/}"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	check "systemd-analyze verify: the units" sh -c \
	    "cd '$T/units' && systemd-analyze verify --man=no *.service *.timer >'$T/verify.out' 2>&1 &&
	    ! test -s '$T/verify.out'"
	sed 's/^/#   /' "$T/verify.out"
else
	echo "# SKIP: no systemd-analyze: the units were not verified"
fi
check_grep "the units are hardened" '^ProtectSystem=strict$' contrib/systemd/rv-serve.service
check_eq "and run as the retrovue user, every one" "3" \
    "$(grep -l '^User=retrovue$' contrib/systemd/*.service | wc -l | tr -d ' ')"
done_testing
