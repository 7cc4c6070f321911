#include "sync/sqlite.hpp"

#include <cstdio>

namespace borderpost::sync::sqlite {

Error::Error(sqlite3* db, const std::string& doing)
    : std::runtime_error(doing + ": " + (db ? sqlite3_errmsg(db) : "out of memory")),
      code(db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM) {}

void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) throw Error(db, "SQLite");
}

Statement::Statement(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) throw Error(db, "SQLite prepare");
}
Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) throw Error(db_, "SQLite bind");
  return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
    throw Error(db_, "SQLite bind");
  return *this;
}
Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) throw Error(db_, "SQLite bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error(db_, "SQLite");
  sqlite3_reset(stmt_);
  throw error;
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}
bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Transaction::Transaction(sqlite3* db) : db_(db) { exec(db, "BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}
void Transaction::commit() {
  exec(db_, "COMMIT");
  open_ = false;
}

namespace {

// A file path as an SQLite URI path: the characters a URI gives meaning to, escaped.
std::string uri_path(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

sqlite3* open_or_throw(const std::string& name, int flags, const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(name.c_str(), &db, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    Error error(db, path);
    sqlite3_close(db);
    throw error;
  }
  return db;
}

// True when the schema can be read (the first read is where a read-only WAL database fails).
bool readable(sqlite3* db) { return sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) == SQLITE_OK; }

}  // namespace

Connection::Connection(const std::string& path, Access access) {
  if (access == Access::ReadWrite) {
    db_ = open_or_throw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, path);
    sqlite3_busy_timeout(db_, 10'000);
    exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    return;
  }
  const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  db_ = open_or_throw("file:" + uri_path(path) + "?mode=ro", flags, path);
  sqlite3_busy_timeout(db_, 10'000);
  if (readable(db_)) return;
  sqlite3_close(db_);
  db_ = open_or_throw("file:" + uri_path(path) + "?immutable=1", flags, path);
  if (!readable(db_)) {
    Error error(db_, path);
    sqlite3_close(db_);
    db_ = nullptr;
    throw error;
  }
}
Connection::~Connection() { sqlite3_close(db_); }

}  // namespace borderpost::sync::sqlite
