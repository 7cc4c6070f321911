// The post's copy of the directorate's watch-list, in the station's own SQLite database: the
// changes the uploader pulls are applied in one transaction, and the checks read it offline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sync/watchlist.hpp"

using sqlite3 = struct sqlite3;

namespace borderpost::sync {

// The post's copy, in the station's own SQLite database.
class StationWatchlist {
 public:
  explicit StationWatchlist(sqlite3* db);  // creates its tables if missing
  std::uint64_t version() const;
  // All the pages of one pull, applied in one transaction: versions must continue the local one.
  void apply(const std::vector<WatchlistChange>& changes);
  // Entries for this document number (issuer "" in an entry matches every issuer).
  std::vector<WatchlistEntry> documents(const std::string& number, const std::string& issuer) const;
  std::vector<WatchlistEntry> persons() const;  // for the tolerant name matching of the checks
  std::uint64_t size() const;

 private:
  sqlite3* db_;
};

}  // namespace borderpost::sync
