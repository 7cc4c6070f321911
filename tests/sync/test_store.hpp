// The central store the store-facing suites (receiver, transport) run against. The same test
// sources are linked twice: test_sync with the SQLite backend, test_sync_postgresql with a real
// PostgreSQL server that CTest starts in a throw-away cluster (scripts/pg-throwaway.sh).
#pragma once

#include <memory>
#include <string>

#include "fixtures.hpp"
#include "sync/central_store.hpp"

namespace borderpost::sync::testing {

class TestStore {
 public:
  virtual ~TestStore() = default;
  virtual std::unique_ptr<CentralStore> open() = 0;     // the same store each time
  virtual void execute(const std::string& sql) = 0;     // behind the receiver's back (tamper tests)
  virtual std::string backend() const = 0;              // "sqlite" | "postgresql"
};

std::unique_ptr<TestStore> make_test_store(const TempDir& dir);

}  // namespace borderpost::sync::testing
