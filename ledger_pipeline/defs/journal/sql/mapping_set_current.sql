INSERT OR REPLACE INTO mapping.current VALUES ($tenant, $version, $loaded_at);
