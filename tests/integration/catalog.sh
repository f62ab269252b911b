#!/bin/sh
# rv-catalog scan/list/show/stats/match on a generated library: every
# probed field of the eight media shapes, names, kinds from folders and
# .retrovue.yaml, incremental rescans, missing files, failures.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

M=$T/media
sh "$RV_TOP/tests/media/gen.sh" "$M" || { not_ok "generate media"; done_testing; exit 1; }
L=$T/library
mkdir -p "$L/TV/Cheers (1982)/Season 01" "$L/TV/Battlestar Galactica (1978)/Season 1" \
    "$L/TV/Battlestar Galactica (2003)/Season 1" "$L/Movies" "$L/Commercials" \
    "$L/Odd" "$L/Promos/80s"
cp "$M/chapters.mp4" "$L/TV/Cheers (1982)/Season 01/Cheers (1982) - S01E01 - Give Me a Ring Sometime.mp4"
cp "$M/vp9.webm" "$L/TV/Cheers (1982)/Season 01/Cheers (1982) - S01E02 - Sams Women.webm"
cp "$M/mpeg2i.ts" "$L/TV/Battlestar Galactica (1978)/Season 1/Battlestar Galactica (1978) - S01E01 - Saga of a Star World.ts"
cp "$M/hevc51.mkv" "$L/TV/Battlestar Galactica (2003)/Season 1/Battlestar Galactica (2003) - S01E01 - 33.mkv"
cp "$M/silent.mp4" "$L/Movies/Alien (1979).mp4"
cp "$M/mono.mp4" "$L/Commercials/Coca-Cola - Hilltop.mp4"
cp "$M/truncated.mp4" "$L/Odd/truncated.mp4"
cp "$M/notmedia.mkv" "$L/Odd/notmedia.mkv"
cp "$M/mono.mp4" "$L/Promos/80s/promo one.mp4"
echo "not scanned" >"$L/Movies/Alien (1979).nfo"
cat >"$L/Promos/.retrovue.yaml" <<'YAML'
kind: promo
collections: [Network Promos]
genre: [comedy, drama]
rating: TV-PG
YAML

check_status "scan the library" 0 rv-catalog scan "$L"
check_eq "summary of the first scan" \
    "9 media files: 9 added, 0 changed, 0 unchanged, 0 missing, 2 failed (9 probed); 4 aliases" \
    "$(cat "$T/.out")"
check_grep "a failed probe is reported with its path" \
    "Odd/truncated.mp4: cannot open" "$T/.err"
check_grep "shows sharing a slug are reported" \
    "shows share the alias slug 'battlestar_galactica'" "$T/.err"

# field NAME ASSET: one field of rv-catalog show --json.
field() {
	rv-catalog show --json "$2" | jq -c ".$1"
}
# expect_ms FILE: the container's duration as ffprobe reports it, in ms.
expect_ms() {
	ffprobe -v error -show_entries format=duration -of csv=p=0 "$1" |
	    awk '{ printf "%d", $1 * 1000 + 0.5 }'
}

c1="asset.cheers.s01e01"
check_eq "mp4: container" '"mov,mp4,m4a,3gp,3g2,mj2"' "$(field container $c1)"
check_eq "mp4: duration as the container reports it" \
    "$(expect_ms "$M/chapters.mp4")" "$(field duration_ms $c1)"
check_eq "mp4: H.264 320x240 at 25/1" '"h264" 320 240 25 1' \
    "$(field video_codec $c1) $(field width $c1) $(field height $c1) $(field fps_num $c1) $(field fps_den $c1)"
check_eq "mp4: AAC stereo 48 kHz" '"aac" 2 48000' \
    "$(field audio_codec $c1) $(field audio_channels $c1) $(field audio_rate $c1)"
check_eq "mp4: chapters with starts and titles" \
    '"chapters":[{"start_ms":0,"end_ms":1500,"title":"Act One"},{"start_ms":1500,"end_ms":3000,"title":"Act Two"},{"start_ms":3000,"end_ms":4000,"title":"Tag"}]' \
    "\"chapters\":$(field chapters $c1)"
check_eq "name: series, year, season, episode, title" \
    '"Cheers" 1982 1 1 "Give Me a Ring Sometime"' \
    "$(field series_title $c1) $(field series_year $c1) $(field season $c1) $(field episode $c1) $(field title $c1)"
check_eq "collections from folder names, not season folders" \
    '"collections":["Cheers (1982)","TV"]' \
    "\"collections\":$(field collections $c1)"

c2="asset.cheers.s01e02"
check_eq "webm: VP9 + Opus at 25/1" '"vp9" "opus" 25 1' \
    "$(field video_codec $c2) $(field audio_codec $c2) $(field fps_num $c2) $(field fps_den $c2)"
check_eq "webm: duration" "$(expect_ms "$M/vp9.webm")" "$(field duration_ms $c2)"

b78="asset.battlestar_galactica_1978.s01e01"
check_eq "ts: MPEG-2 720x480 29.97 interlaced top first" \
    '"mpegts" "mpeg2video" 720 480 30000 1001 "tt"' \
    "$(field container $b78) $(field video_codec $b78) $(field width $b78) $(field height $b78) $(field fps_num $b78) $(field fps_den $b78) $(field field_order $b78)"
check_eq "ts: duration" "$(expect_ms "$M/mpeg2i.ts")" "$(field duration_ms $b78)"

b03="asset.battlestar_galactica_2003.s01e01"
check_eq "mkv: HEVC 23.976, 5.1 audio" '"hevc" 24000 1001 6' \
    "$(field video_codec $b03) $(field fps_num $b03) $(field fps_den $b03) $(field audio_channels $b03)"
check_eq "mkv: duration" "$(expect_ms "$M/hevc51.mkv")" "$(field duration_ms $b03)"

alien="$L/Movies/Alien (1979).mp4"
check_eq "movie by path: kind, title, year" '"movie" "Alien" 1979' \
    "$(field kind "$alien") $(field title "$alien") $(field year "$alien")"
check_eq "no audio: 59.94 and no audio fields" '60000 1001 null null' \
    "$(field fps_num "$alien") $(field fps_den "$alien") $(field audio_codec "$alien") $(field audio_channels "$alien")"

coke="$L/Commercials/Coca-Cola - Hilltop.mp4"
check_eq "kind from the folder name; mono 44.1 kHz" \
    '"commercial" "Coca-Cola - Hilltop" 1 44100' \
    "$(field kind "$coke") $(field title "$coke") $(field audio_channels "$coke") $(field audio_rate "$coke")"

promo="$L/Promos/80s/promo one.mp4"
check_eq ".retrovue.yaml gives kind and rating to the folders below" \
    '"promo" "TV-PG"' "$(field kind "$promo") $(field rating "$promo")"
check_eq ".retrovue.yaml genres" '"genres":["comedy","drama"]' \
    "\"genres\":$(field genres "$promo")"
check_eq ".retrovue.yaml collections join the folder ones" \
    '"collections":["80s","Network Promos","Promos"]' \
    "\"collections\":$(field collections "$promo")"

check_eq "truncated file is failed with the reason" \
    '"failed" "cannot open: Invalid data found when processing input"' \
    "$(field state "$L/Odd/truncated.mp4") $(field fail_reason "$L/Odd/truncated.mp4")"
check_eq "a file that is not media is failed" '"failed"' \
    "$(field state "$L/Odd/notmedia.mkv")"

check_status "scan again" 0 rv-catalog scan "$L"
check_eq "a rescan of an unchanged library probes nothing" \
    "9 media files: 0 added, 0 changed, 9 unchanged, 0 missing, 0 failed (0 probed); 4 aliases" \
    "$(cat "$T/.out")"

rm "$L/TV/Cheers (1982)/Season 01/Cheers (1982) - S01E02 - Sams Women.webm"
touch -d '2001-01-01' "$alien"
check_status "scan after a deletion and a touch" 0 rv-catalog scan "$L"
check_eq "the deleted file is missing, the touched one reprobed" \
    "8 media files: 0 added, 1 changed, 7 unchanged, 1 missing, 0 failed (1 probed); 3 aliases" \
    "$(cat "$T/.out")"
check_eq "missing assets keep their row and state says so" '"missing"' \
    "$(field state "$L/TV/Cheers (1982)/Season 01/Cheers (1982) - S01E02 - Sams Women.webm")"
check "a missing episode gives up its alias" \
    sh -c '! rv-catalog show asset.cheers.s01e02 2>/dev/null' 

mkdir "$T/empty"
check_status "scan of an empty folder" 0 rv-catalog scan "$T/empty"
check_grep "an empty root is reported" "no media files (unmounted?)" "$T/.err"
check_status "scan of a missing folder fails" 1 rv-catalog scan "$T/nowhere"
check_grep "the missing folder is named" "nowhere: No such file" "$T/.err"

check_status "match a series by Title (Year)" 0 \
    rv-catalog match '{type: episode, series_title: "Battlestar Galactica (2003)"}'
check_eq "Title (Year) picks only that show" "1 asset, 0:00:03" "$(tail -n 1 "$T/.out")"
check_status "match with a season range" 0 \
    rv-catalog match '{type: episode, season: 1..2, episode: [1]}'
check_eq "episodes in schedule order: series, season, episode" \
    "Battlestar Galactica S01E01 Saga of a Star World|Battlestar Galactica S01E01 33|Cheers S01E01 Give Me a Ring Sometime" \
    "$(sed -n 's/^ *[0-9]*  a-[0-9a-f]* *[0-9:]*  //p' "$T/.out" | paste -sd'|' -)"
check_status "match by genre and rating" 0 \
    rv-catalog match '{genre: Comedy, rating: {include: [TV-PG]}}'
check_eq "genre and rating select the promo" "1 asset, 0:00:02" "$(tail -n 1 "$T/.out")"
check_status "a bad match is an error" 1 rv-catalog match '{season: "1..x"}'
check_grep "the bad value is named with its location" \
    "command line:1:10: expected a number or a range like 1..4 (1..x)" "$T/.err"

check_status "loudness" 0 rv-catalog loudness -j 2
check_eq "loudness measures the ready files with audio" \
    "5 measured, 0 silent, 0 failed (target -24.0 LUFS)" "$(cat "$T/.out")"
check_eq "the gain brings the measured loudness to the target" "0" \
    "$(rv-catalog show --json $c1 | jq '(.loudness_lufs + .gain_db + 24) * 100 | round | fabs')"
check_eq "a file without audio gets no loudness" "null null" \
    "$(field loudness_lufs "$alien") $(field gain_db "$alien")"
check_status "loudness again" 0 rv-catalog loudness
check_eq "a second loudness run measures nothing" \
    "0 measured, 0 silent, 0 failed (target -24.0 LUFS)" "$(cat "$T/.out")"

check_status "stats" 0 rv-catalog stats --json
check_grep "stats counts ready episodes" '"kind":"episode","state":"ready","assets":3' "$T/.out"
check_status "show of an unknown name fails" 1 rv-catalog show nothing
check_status "unknown command is a usage error" 2 rv-catalog frob

done_testing
