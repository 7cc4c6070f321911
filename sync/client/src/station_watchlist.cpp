#include "sync/station_watchlist.hpp"

#include <stdexcept>

#include "sync/sqlite.hpp"

namespace borderpost::sync {
namespace {

WatchlistEntry entry_from_row(const sqlite::Statement& q) { return watchlist_entry_from(q.texts<kWatchlistFields.size()>(0)); }

}  // namespace

StationWatchlist::StationWatchlist(sqlite3* db) : db_(db) {
  if (sqlite3_db_readonly(db_, "main") == 1) return;  // a read-only disk: use the copy that is there
  sqlite::exec(db_,
               "CREATE TABLE IF NOT EXISTS watchlist("
               "  id TEXT PRIMARY KEY, kind TEXT NOT NULL, document_number TEXT NOT NULL, issuer TEXT NOT NULL,"
               "  surname TEXT NOT NULL, given_names TEXT NOT NULL, birth_date TEXT NOT NULL, nationality TEXT NOT NULL,"
               "  reason TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;"
               "CREATE INDEX IF NOT EXISTS watchlist_by_document ON watchlist(document_number) WHERE kind = 'document';"
               "CREATE TABLE IF NOT EXISTS watchlist_version(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);"
               "INSERT OR IGNORE INTO watchlist_version(id, version) VALUES (1, 0);");
}

std::uint64_t StationWatchlist::version() const {
  sqlite::Statement q(db_, "SELECT version FROM watchlist_version WHERE id = 1");
  q.step();
  return static_cast<std::uint64_t>(q.integer(0));
}

void StationWatchlist::apply(const std::vector<WatchlistChange>& changes) {
  if (changes.empty()) return;
  sqlite::Transaction transaction(db_);
  std::uint64_t version = this->version();
  sqlite::Statement upsert(db_,
                           "INSERT OR REPLACE INTO watchlist(id, kind, document_number, issuer, surname, given_names,"
                           " birth_date, nationality, reason, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite::Statement remove(db_, "DELETE FROM watchlist WHERE id = ?");
  for (const auto& c : changes) {
    if (c.version <= version)
      throw std::runtime_error("watch-list change " + std::to_string(c.version) + " is not newer than the local version " +
                               std::to_string(version));
    const auto& e = c.entry;
    if (c.action == "add") {
      const auto columns = watchlist_columns(e);
      for (std::size_t i = 0; i < columns.size(); ++i) upsert.bind(static_cast<int>(i) + 1, columns[i]);
      upsert.bind(10, static_cast<std::int64_t>(c.version)).run();
    } else {
      remove.bind(1, e.id).run();
    }
    version = c.version;
  }
  sqlite::Statement set_version(db_, "UPDATE watchlist_version SET version = ? WHERE id = 1");
  set_version.bind(1, static_cast<std::int64_t>(version)).run();
  transaction.commit();
}

std::vector<WatchlistEntry> StationWatchlist::documents(const std::string& number, const std::string& issuer) const {
  sqlite::Statement q(db_,
                      "SELECT id, kind, document_number, issuer, surname, given_names, birth_date, nationality, reason"
                      " FROM watchlist WHERE kind = 'document' AND document_number = ? AND (issuer = '' OR issuer = ?)");
  q.bind(1, number).bind(2, issuer);
  std::vector<WatchlistEntry> out;
  while (q.step()) out.push_back(entry_from_row(q));
  return out;
}

std::vector<WatchlistEntry> StationWatchlist::persons() const {
  sqlite::Statement q(db_,
                      "SELECT id, kind, document_number, issuer, surname, given_names, birth_date, nationality, reason"
                      " FROM watchlist WHERE kind = 'person' ORDER BY surname, given_names");
  std::vector<WatchlistEntry> out;
  while (q.step()) out.push_back(entry_from_row(q));
  return out;
}

std::uint64_t StationWatchlist::size() const {
  sqlite::Statement q(db_, "SELECT count(*) FROM watchlist");
  q.step();
  return static_cast<std::uint64_t>(q.integer(0));
}

}  // namespace borderpost::sync
