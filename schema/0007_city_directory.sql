-- 0007_city_directory.sql: VK's own directory of the region's localities
-- (`vkpulse region sync`, database.getCities), so that a member's profile city
-- id leads to a municipality exactly, whatever the city is called.
--
-- city_directory holds one row per locality VK lists for the region; a city id
-- absent from it lies outside the region. The municipality is the one the map
-- gave it at the last sync (NULL: in the region, but the map names no
-- municipality for its area); the crosscheck maps the ids again with the map
-- it is given, so editing the map takes effect without a new sync.
CREATE TABLE city_directory (
    id           INTEGER PRIMARY KEY,  -- VK city id (users' city.id)
    title        TEXT NOT NULL,        -- as VK writes it: «Берёзовка»
    area         TEXT NOT NULL,        -- its district as VK writes it, '' for large cities
    municipality TEXT                  -- official name in the map at the sync, NULL if none
);

-- The one sync that filled city_directory (at most one row).
CREATE TABLE city_directory_sync (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    region_id    INTEGER NOT NULL,     -- VK region id (database.getRegions)
    region_title TEXT NOT NULL,        -- as VK writes it: «Челябинская область»
    synced_at    INTEGER NOT NULL,     -- unix time of the sync
    cities       INTEGER NOT NULL,     -- rows of city_directory
    mapped       INTEGER NOT NULL,     -- of them with a municipality
    requests     INTEGER NOT NULL      -- HTTP requests the sync took
);
