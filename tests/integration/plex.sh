#!/bin/sh
# rv-catalog import-plex and probe: a Plex database whose paths map onto
# generated media; probing gives the imported items streams and chapters;
# a vanished file fails its asset until it comes back, and a re-import
# does not hide that.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

M=$T/media
sh "$RV_TOP/tests/media/gen.sh" "$M" || { not_ok "generate media"; done_testing; exit 1; }
P=$T/plex.db
{
	cat "$RV_TOP/tests/plex/schema.sql"
	cat <<'SQL'
INSERT INTO library_sections (id, name, section_type) VALUES
  (1, 'TV Shows', 2), (2, 'Movies', 1);
INSERT INTO metadata_items (id, library_section_id, parent_id, metadata_type,
  title, "index", year, content_rating, summary, duration) VALUES
  (10, 1, NULL, 2, 'Cheers', NULL, 1982, 'TV-PG', NULL, NULL),
  (11, 1, 10, 3, 'Season 1', 1, NULL, NULL, NULL, NULL),
  (12, 1, 11, 4, 'Give Me a Ring Sometime', 1, 1982, NULL, 'Pilot.', 4000),
  (13, 1, 11, 4, 'Sams Women', 2, 1982, NULL, NULL, 2000),
  (20, 2, NULL, 1, 'Alien', NULL, 1979, 'R', 'In space.', 2002),
  (21, 2, NULL, 1, 'Nowhere', NULL, 1990, 'PG', NULL, 5000);
INSERT INTO media_items (id, library_section_id, metadata_item_id, duration)
  VALUES (1, 1, 12, 4000), (2, 1, 13, 2000), (3, 2, 20, 2002),
  (4, 2, 21, 5000);
INSERT INTO media_parts (id, media_item_id, file, "index", duration) VALUES
  (1, 1, '/data/tv/Cheers/S01E01.mp4', 0, 4000),
  (2, 2, '/data/tv/Cheers/S01E02.webm', 0, 2000),
  (3, 3, '/data/movies/Alien (1979).mp4', 0, 2002),
  (4, 4, '/elsewhere/nowhere.mkv', 0, 5000);
INSERT INTO tags (id, tag, tag_type) VALUES (1, 'Comedy', 1),
  (2, 'Sitcoms', 2), (3, 'intro', 12);
INSERT INTO taggings (id, metadata_item_id, tag_id, text, time_offset,
  end_time_offset) VALUES (1, 10, 1, NULL, NULL, NULL),
  (2, 10, 2, NULL, NULL, NULL), (3, 12, 3, 'intro', 0, 1000);
SQL
} | sqlite3 "$P"
mkdir -p "$T/tv/Cheers" "$T/movies"
cp "$M/chapters.mp4" "$T/tv/Cheers/S01E01.mp4"
cp "$M/vp9.webm" "$T/tv/Cheers/S01E02.webm"
cp "$M/silent.mp4" "$T/movies/Alien (1979).mp4"

field() {
	rv-catalog show --json "$2" | jq -c ".$1"
}

check_status "import the Plex database" 0 rv-catalog import-plex "$P" \
    --map "/data=/nowhere" --map "/data/tv=$T/tv" --map "/data/movies=$T/movies"
check_eq "import summary" \
    "2 movies, 2 episodes: 4 added, 0 updated, 0 removed; skipped 0 deleted, 0 unplayable, 0 without season or show; 0 multi-part" \
    "$(cat "$T/.out")"
check_eq "episode fields from Plex; the longest map wins" \
    "\"Cheers\" 1982 1 1 \"Give Me a Ring Sometime\" \"TV-PG\" \"$T/tv/Cheers/S01E01.mp4\"" \
    "$(field series_title plex://12) $(field series_year plex://12) $(field season plex://12) $(field episode plex://12) $(field title plex://12) $(field rating plex://12) $(field path plex://12)"
check_eq "genres and collections inherited from the show" '["Comedy"] ["Sitcoms"]' \
    "$(field genres plex://12) $(field collections plex://12)"
check_eq "markers from Plex" '[{"kind":"intro","start_ms":0,"end_ms":1000}]' \
    "$(field markers plex://12)"
check_eq "not probed yet: no chapters, no streams" '[] null' \
    "$(field chapters plex://12) $(field video_codec plex://12)"

check_status "probe the imported files" 0 rv-catalog probe -j 2
check_eq "probe summary: three probed, one file not here" \
    "4 imported files: 3 probed, 0 unchanged, 1 failed" "$(cat "$T/.out")"
check_grep "the missing file is named" "/elsewhere/nowhere.mkv: No such file" "$T/.err"
check_eq "probing gives chapters and streams" '[0,1500,3000] "h264" 25' \
    "$(field 'chapters | map(.start_ms)' plex://12) $(field video_codec plex://12) $(field fps_num plex://12)"
check_eq "the probed duration is the file's" "4000" "$(field duration_ms plex://12)"
check_eq "a file that is not here fails its asset" '"failed"' \
    "$(field state plex://21)"

check_status "probe again" 0 rv-catalog probe
check_eq "a second probe does nothing" \
    "4 imported files: 0 probed, 3 unchanged, 1 failed" "$(cat "$T/.out")"

rm "$T/tv/Cheers/S01E02.webm"
check_status "probe after a file vanished" 0 rv-catalog probe
check_eq "the vanished file fails its asset" '"failed"' "$(field state plex://13)"
check_status "re-import" 0 rv-catalog import-plex "$P" \
    --map "/data/tv=$T/tv" --map "/data/movies=$T/movies"
check_eq "a re-import keeps the failed probe's verdict" '"failed"' \
    "$(field state plex://13)"
check_eq "and keeps the probed chapters" '[0,1500,3000]' \
    "$(field 'chapters | map(.start_ms)' plex://12)"
cp "$M/vp9.webm" "$T/tv/Cheers/S01E02.webm"
check_status "probe after the file came back" 0 rv-catalog probe
check_eq "the asset is ready again" '"ready"' "$(field state plex://13)"

check_status "import of a file that is not a Plex database fails" 1 \
    rv-catalog import-plex "$M/notmedia.mkv"
check_grep "the bad database is named" "notmedia.mkv" "$T/.err"
check_status "a bad --map is a failure" 1 rv-catalog import-plex "$P" --map nothing

done_testing
