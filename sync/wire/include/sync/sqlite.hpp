// A thin RAII layer over the SQLite C API for the sync tables: statements, transactions, errors
// as exceptions that carry SQLite's own message ("database or disk is full", ...).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace borderpost::sync::sqlite {

struct Error : std::runtime_error {
  Error(sqlite3* db, const std::string& doing);
  int code;
};

void exec(sqlite3* db, const char* sql);

class Statement {
 public:
  Statement(sqlite3* db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);
  bool step();  // true: a row is ready; false: done
  void run();   // steps to completion, then resets for reuse
  void reset();
  std::int64_t integer(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;
  // N text columns from `first` on.
  template <std::size_t N>
  std::array<std::string, N> texts(int first) const {
    std::array<std::string, N> out;
    for (std::size_t i = 0; i < N; ++i) out[i] = text(first + static_cast<int>(i));
    return out;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed (an exception on the way out).
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  sqlite3* db_;
  bool open_ = true;
};

enum class Access { ReadWrite, ReadOnly };

// An owned connection with the durability settings the records need (WAL, synchronous=FULL).
// ReadOnly is for a database on a read-only disk: it reads what was committed and never writes
// (SQLite needs the WAL's shared memory file to read a WAL database; where it cannot be created,
// the file is opened as immutable).
class Connection {
 public:
  explicit Connection(const std::string& path, Access access = Access::ReadWrite);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace borderpost::sync::sqlite
