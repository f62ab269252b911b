-- A Plex library database the size of a real one, for bench/plex-import.sh:
--   sqlite3 com.plexapp.plugins.library.db < bench/gen-plexdb.sql
--
-- 12,364 playable items: 300 shows x 4 seasons, 10,000 episodes, and
-- 2,364 movies (24 of them in two parts); plus what the import must skip:
-- 200 deleted episodes, 50 movies without media, 50 with no duration, 30
-- whose only part is deleted.  Genres and collections on shows (the
-- episodes inherit them), seasons and movies; intro and credits markers;
-- actor taggings the import must pass over; ten pairs of shows with the
-- same title and different years (alias clashes).  Tables, columns and
-- indexes as in shared/reference/plex-library-db.md and Plex's own schema.
-- Deterministic: the same file every run.

PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;

-- The tables come from tests/plex/schema.sql, which bench/plex-import.sh
-- sends to sqlite3 first.


INSERT INTO library_sections (id, name, section_type) VALUES
  (1, 'TV Shows', 2), (2, 'Classic TV', 2), (3, 'Movies', 1);

CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
WITH RECURSIVE c (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c
  WHERE i < 10199)
INSERT INTO n SELECT i FROM c;

-- Shows 1000000 + s; 150..159 repeat the titles of 0..9 with other years.
INSERT INTO metadata_items (id, library_section_id, metadata_type, title,
  year, content_rating, summary, added_at)
SELECT 1000000 + i, CASE WHEN i < 200 THEN 1 ELSE 2 END, 2,
  'Show ' || CASE WHEN i BETWEEN 150 AND 159 THEN i - 150 ELSE i END,
  1950 + i % 70, CASE i % 2 WHEN 0 THEN 'TV-PG' ELSE 'TV-14' END,
  'About show ' || i || '. ' || hex(zeroblob(100)), 1700000000
FROM n WHERE i < 300;

-- Seasons 2000000 + 10 s + k, numbered 1..4.
INSERT INTO metadata_items (id, library_section_id, parent_id,
  metadata_type, title, "index")
SELECT 2000000 + 10 * s.i + k.i, CASE WHEN s.i < 200 THEN 1 ELSE 2 END,
  1000000 + s.i, 3, 'Season ' || (k.i + 1), k.i + 1
FROM n AS s, n AS k WHERE s.i < 300 AND k.i < 4;

-- Episodes 3000000 + g: show g % 300, episode g / 300 counted 10 a season.
-- 10000..10199 are deleted.
INSERT INTO metadata_items (id, library_section_id, parent_id,
  metadata_type, title, year, summary, "index", duration, added_at,
  deleted_at)
SELECT 3000000 + i, CASE WHEN i % 300 < 200 THEN 1 ELSE 2 END,
  2000000 + 10 * (i % 300) + (i / 300 % 34) / 10, 4,
  'Episode ' || i, 1950 + (i % 300) % 70 + (i / 300) / 10,
  'What happens in episode ' || i || '. ' || hex(zeroblob(80)),
  (i / 300 % 34) % 10 + 1, 1320000 + (i % 60) * 1000, 1700000000,
  CASE WHEN i >= 10000 THEN 1700000100 END
FROM n;

-- Movies 4000000 + m: 0..2363 playable, 2364..2413 without media,
-- 2414..2463 with no duration, 2464..2493 with their part deleted.
INSERT INTO metadata_items (id, library_section_id, metadata_type, title,
  year, content_rating, summary, duration, added_at)
SELECT 4000000 + i, 3, 1, 'Movie ' || i, 1930 + i % 90,
  CASE i % 3 WHEN 0 THEN 'PG' WHEN 1 THEN 'PG-13' ELSE 'R' END,
  'The story of movie ' || i || '. ' || hex(zeroblob(120)),
  CASE WHEN i BETWEEN 2414 AND 2463 THEN 0 ELSE 5400000 + i % 3600 * 1000
  END, 1700000000
FROM n WHERE i < 2494;

-- One media item per episode and movie (same id as its metadata item).
INSERT INTO media_items (id, library_section_id, metadata_item_id, size,
  duration, container, video_codec, audio_codec)
SELECT id, library_section_id, id, 700000000,
  CASE WHEN metadata_type = 1 AND id - 4000000 BETWEEN 2414 AND 2463
    THEN 0 ELSE duration END, 'mkv', 'h264', 'aac'
FROM metadata_items
WHERE metadata_type = 4
  OR (metadata_type = 1 AND id - 4000000 NOT BETWEEN 2364 AND 2413);

-- Parts 2 x media id (+1 for the second part of a two-part movie).
INSERT INTO media_parts (id, media_item_id, file, "index", size, duration,
  deleted_at)
SELECT 2 * mi.id, mi.id,
  CASE m.metadata_type
  WHEN 4 THEN printf('/data/tv/Show %d/Season %02d/Show %d - S%02dE%02d.mkv',
    (m.id - 3000000) % 300, s."index", (m.id - 3000000) % 300, s."index",
    m."index")
  ELSE printf('/data/movies/Movie %d (%d)/Movie %d.mkv', m.id - 4000000,
    m.year, m.id - 4000000) END,
  0, 700000000,
  CASE WHEN m.metadata_type = 1 AND (m.id - 4000000) % 100 = 7
    THEN m.duration / 2 END,
  CASE WHEN m.id - 4000000 BETWEEN 2464 AND 2493 THEN 1700000100 END
FROM media_items AS mi
JOIN metadata_items AS m ON m.id = mi.metadata_item_id
LEFT JOIN metadata_items AS s ON s.id = m.parent_id;
INSERT INTO media_parts (id, media_item_id, file, "index", size, duration)
SELECT 2 * mi.id + 1, mi.id,
  printf('/data/movies/Movie %d (%d)/Movie %d - part 2.mkv', m.id - 4000000,
    m.year, m.id - 4000000), 1, 350000000, m.duration - m.duration / 2
FROM media_items AS mi JOIN metadata_items AS m ON m.id = mi.metadata_item_id
WHERE m.metadata_type = 1 AND (m.id - 4000000) % 100 = 7
  AND m.id - 4000000 < 2364;

-- Tags: 30 genres, 40 collections, two markers, 2000 actors.
INSERT INTO tags (id, tag, tag_type)
SELECT 1 + i, 'Genre ' || i, 1 FROM n WHERE i < 30;
INSERT INTO tags (id, tag, tag_type)
SELECT 101 + i, 'Collection ' || i, 2 FROM n WHERE i < 40;
INSERT INTO tags (id, tag, tag_type) VALUES
  (201, 'intro', 12), (202, 'credits', 12);
INSERT INTO tags (id, tag, tag_type)
SELECT 1001 + i, 'Actor ' || i, 6 FROM n WHERE i < 2000;

-- Two genres a show, a collection on every third show and on season 1 of
-- every fifth, two genres and (every other) a collection a movie.
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 1000000 + i, 1 + i % 30, 0 FROM n WHERE i < 300;
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 1000000 + i, 1 + (i * 7 + 3) % 30, 1 FROM n
WHERE i < 300 AND (i * 7 + 3) % 30 <> i % 30;
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 1000000 + i, 101 + i % 40, 0 FROM n WHERE i < 300 AND i % 3 = 0;
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 2000000 + 10 * i, 101 + (i + 20) % 40, 0 FROM n
WHERE i < 300 AND i % 5 = 0;
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 4000000 + i, 1 + i % 30, 0 FROM n WHERE i < 2494;
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 4000000 + i, 1 + (i * 11 + 5) % 30, 1 FROM n
WHERE i < 2494 AND (i * 11 + 5) % 30 <> i % 30;
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 4000000 + i, 101 + i % 40, 0 FROM n WHERE i < 2494 AND i % 2 = 0;

-- Markers: intro and credits on every episode, credits on every movie.
INSERT INTO taggings (metadata_item_id, tag_id, "index", text, time_offset,
  end_time_offset)
SELECT 3000000 + i, 201, 0, 'intro', 30000, 90000 FROM n;
INSERT INTO taggings (metadata_item_id, tag_id, "index", text, time_offset,
  end_time_offset)
SELECT 3000000 + i, 202, 1, 'credits', 1260000, 1320000 FROM n;
INSERT INTO taggings (metadata_item_id, tag_id, "index", text, time_offset,
  end_time_offset)
SELECT 4000000 + i, 202, 0, 'credits', 5100000, 5400000 FROM n
WHERE i < 2494;

-- Cast, which the import passes over: three a movie, two an episode.
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 4000000 + m.i, 1001 + (m.i * 3 + k.i) % 2000, k.i
FROM n AS m, n AS k WHERE m.i < 2494 AND k.i < 3;
INSERT INTO taggings (metadata_item_id, tag_id, "index")
SELECT 3000000 + e.i, 1001 + (e.i * 2 + k.i) % 2000, k.i
FROM n AS e, n AS k WHERE k.i < 2;

COMMIT;
