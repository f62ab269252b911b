-- The tables of a Plex library database that rv-catalog import-plex reads,
-- as in shared/reference/plex-library-db.md and Plex's own schema.  Used by
-- tests/integration/plex.sh and bench/gen-plexdb.sql.

CREATE TABLE library_sections (id INTEGER PRIMARY KEY, name TEXT,
  section_type INTEGER, language TEXT, agent TEXT, scanner TEXT,
  uuid TEXT, created_at INTEGER, updated_at INTEGER);
CREATE TABLE metadata_items (id INTEGER PRIMARY KEY,
  library_section_id INTEGER, parent_id INTEGER, metadata_type INTEGER,
  guid TEXT, title TEXT, title_sort TEXT, original_title TEXT,
  studio TEXT, rating REAL, summary TEXT, content_rating TEXT,
  "index" INTEGER, absolute_index INTEGER, duration INTEGER,
  tags_genre TEXT, tags_collection TEXT,
  originally_available_at INTEGER, year INTEGER, added_at INTEGER,
  created_at INTEGER, updated_at INTEGER, deleted_at INTEGER,
  user_thumb_url TEXT, hash TEXT, edition_title TEXT);
CREATE TABLE media_items (id INTEGER PRIMARY KEY,
  library_section_id INTEGER, metadata_item_id INTEGER, width INTEGER,
  height INTEGER, size INTEGER, duration INTEGER, bitrate INTEGER,
  container TEXT, video_codec TEXT, audio_codec TEXT,
  display_aspect_ratio REAL, frames_per_second REAL,
  audio_channels INTEGER, interlaced INTEGER, deleted_at INTEGER,
  media_analysis_version INTEGER);
CREATE TABLE media_parts (id INTEGER PRIMARY KEY,
  media_item_id INTEGER, directory_id INTEGER, hash TEXT, file TEXT,
  "index" INTEGER, size INTEGER, duration INTEGER, created_at INTEGER,
  updated_at INTEGER, deleted_at INTEGER, extra_data TEXT);
CREATE TABLE tags (id INTEGER PRIMARY KEY, metadata_item_id INTEGER,
  tag TEXT, tag_type INTEGER, key TEXT, parent_id INTEGER,
  extra_data TEXT);
CREATE TABLE taggings (id INTEGER PRIMARY KEY,
  metadata_item_id INTEGER, tag_id INTEGER, "index" INTEGER,
  text TEXT, time_offset INTEGER, end_time_offset INTEGER,
  extra_data TEXT);

CREATE INDEX index_metadata_items_on_parent_id ON metadata_items (parent_id);
CREATE INDEX index_metadata_items_on_metadata_type
  ON metadata_items (metadata_type);
CREATE INDEX index_metadata_items_on_library_section_id
  ON metadata_items (library_section_id);
CREATE INDEX index_media_items_on_metadata_item_id
  ON media_items (metadata_item_id);
CREATE INDEX index_media_parts_on_media_item_id
  ON media_parts (media_item_id);
CREATE INDEX index_taggings_on_metadata_item_id
  ON taggings (metadata_item_id);
CREATE INDEX index_taggings_on_tag_id ON taggings (tag_id);
CREATE INDEX index_tags_on_tag_type ON tags (tag_type);
