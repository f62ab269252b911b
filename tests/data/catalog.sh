#!/bin/sh
# Fill a RetroVue database with a catalog that has every show the 13
# reference channels name (realistic seasons, episode counts and
# runtimes), movies (ratings, genres, 80–180 min) and interstitials.  No
# media files: the compiler and the horizon only read the catalog.
#
#   tests/data/catalog.sh DB [MOVIES] [ORDER]
#
# ORDER "reverse" inserts the rows the other way round (the schedule must
# not depend on catalog row order).  The database must exist (migrated).
set -eu
db=${1:?usage: tests/data/catalog.sh DB [MOVIES] [ORDER]}
movies=${2:-400}
order=${3:-forward}
dir=${ORDER:+}
case "$order" in
reverse) dir=DESC ;;
*) dir=ASC ;;
esac

sqlite3 "$db" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TEMP TABLE shows (title TEXT, year INTEGER, seasons INTEGER,
  eps INTEGER, runtime INTEGER, rating TEXT, genre TEXT);
INSERT INTO shows VALUES
  ('Babylon 5', 1994, 5, 22, 2640, 'TV-PG', 'Science Fiction'),
  ('Batman', 1966, 3, 40, 1500, 'TV-G', 'Action'),
  ('Battlestar Galactica', 1978, 1, 24, 2880, 'TV-PG', 'Science Fiction'),
  ('Battlestar Galactica', 2003, 4, 20, 2640, 'TV-14', 'Science Fiction'),
  ('Galactica 1980', 1980, 1, 10, 2640, 'TV-PG', 'Science Fiction'),
  ('Chicago Fire', 2012, 10, 22, 2580, 'TV-14', 'Drama'),
  ('Chicago Med', 2015, 8, 20, 2580, 'TV-14', 'Drama'),
  ('Chicago P.D.', 2014, 10, 22, 2580, 'TV-14', 'Crime'),
  ('Freddy''s Nightmares', 1988, 2, 22, 2640, 'TV-14', 'Horror'),
  ('Tales from the Crypt', 1989, 7, 13, 1620, 'TV-MA', 'Horror'),
  ('Smiling Friends', 2020, 2, 8, 660, 'TV-MA', 'Comedy'),
  ('Soap', 1977, 4, 22, 1380, 'TV-PG', 'Comedy'),
  ('Super Mario World', 1991, 1, 13, 1320, 'TV-Y', 'Animation'),
  ('The New Three Stooges', 1965, 1, 40, 1200, 'TV-G', 'Animation'),
  ('The PJs', 1999, 3, 14, 1320, 'TV-PG', 'Animation'),
  ('The Superman/Aquaman Hour of Adventure', 1967, 1, 18, 3540, 'TV-G',
   'Animation'),
  ('X-Men ''97', 2024, 1, 10, 1920, 'TV-PG', 'Animation'),
  ('Barney Miller', 1975, 8, 22, 1500, 'TV-PG', 'Comedy'),
  ('Cheers', 1982, 11, 25, 1500, 'TV-PG', 'Comedy'),
  ('The Cosby Show', 1984, 8, 24, 1440, 'TV-G', 'Comedy'),
  ('Boston Legal', 2004, 5, 20, 2640, 'TV-14', 'Drama'),
  ('Suits', 2011, 9, 16, 2640, 'TV-14', 'Drama'),
  ('Criminal Minds', 2005, 15, 22, 2580, 'TV-14', 'Crime'),
  ('FBI', 2018, 6, 22, 2580, 'TV-14', 'Crime'),
  ('CSI: NY', 2004, 9, 22, 2580, 'TV-14', 'Crime'),
  ('Star Trek: The Next Generation', 1987, 7, 26, 2640, 'TV-PG',
   'Science Fiction'),
  ('Star Trek: Deep Space Nine', 1993, 7, 26, 2640, 'TV-PG',
   'Science Fiction'),
  ('Star Trek: Voyager', 1995, 7, 26, 2640, 'TV-PG', 'Science Fiction'),
  ('Star Trek: Strange New Worlds', 2022, 2, 10, 3000, 'TV-PG',
   'Science Fiction');
CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
WITH RECURSIVE c (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c
  WHERE i < 9999) INSERT INTO n SELECT i FROM c;
CREATE TEMP TABLE rows (id TEXT, kind TEXT, title TEXT, series TEXT,
  series_year INTEGER, season INTEGER, episode INTEGER, year INTEGER,
  rating TEXT, genre TEXT, duration_ms INTEGER);
-- Episodes: runtimes vary by up to a minute around the show's.
INSERT INTO rows SELECT
  printf('a-ep-%s-%d-s%02de%02d', lower(replace(replace(title, ' ', '_'),
    '''', '')), year, s.i + 1, e.i + 1),
  'episode', printf('Episode %d', e.i + 1), title, year, s.i + 1, e.i + 1,
  NULL, rating, genre, (runtime + ((s.i * 7 + e.i * 13) % 61) - 30) * 1000
  FROM shows, n AS s, n AS e WHERE s.i < seasons AND e.i < eps
  AND s.i < 100 AND e.i < 100;
-- Movies: 80 to 180 minutes; every third horror.
INSERT INTO rows SELECT printf('a-mv-%04d', i), 'movie',
  printf('Feature %04d', i), NULL, NULL, NULL, NULL, 1960 + i % 40,
  CASE i % 4 WHEN 0 THEN 'G' WHEN 1 THEN 'PG' WHEN 2 THEN 'PG-13'
    ELSE 'R' END,
  CASE i % 3 WHEN 0 THEN 'Horror' WHEN 1 THEN 'Comedy' ELSE 'Drama' END,
  (4800 + (i * 617) % 6001) * 1000 FROM n WHERE i < $movies;
-- Interstitials.
INSERT INTO rows SELECT printf('a-in-%s-%02d', k, i), k,
  printf('%s %02d', k, i), NULL, NULL, NULL, NULL, NULL, NULL, NULL, len
  FROM (SELECT 'commercial' AS k, 40 AS cnt, 30000 AS len
    UNION ALL SELECT 'commercial', 20, 15000
    UNION ALL SELECT 'promo', 10, 30000
    UNION ALL SELECT 'station_id', 5, 10000
    UNION ALL SELECT 'psa', 5, 30000
    UNION ALL SELECT 'stinger', 5, 5000
    UNION ALL SELECT 'bumper', 5, 10000
    UNION ALL SELECT 'filler', 3, 60000), n WHERE i < cnt;
UPDATE rows SET id = id || '-' || (duration_ms / 1000)
  WHERE kind = 'commercial';
INSERT INTO assets (id, kind, state, title, series_title, series_year,
  season, episode, year, rating, duration_ms, path, source, source_name,
  added_ms, updated_ms)
  SELECT id, kind, 'ready', title, series, series_year, season, episode,
    year, rating, duration_ms, '/media/' || id || '.mkv', 'folder',
    'library', 0, 0 FROM rows ORDER BY id $dir;
INSERT INTO asset_genres (asset_id, genre)
  SELECT id, genre FROM rows WHERE genre IS NOT NULL ORDER BY id $dir;
COMMIT;
SQL
