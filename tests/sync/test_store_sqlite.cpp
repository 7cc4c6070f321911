#include "sync/sqlite.hpp"
#include "test_store.hpp"

namespace borderpost::sync::testing {
namespace {

class SqliteTestStore final : public TestStore {
 public:
  explicit SqliteTestStore(std::string path) : path_(std::move(path)) {}
  std::unique_ptr<CentralStore> open() override { return open_sqlite_store(path_); }
  void execute(const std::string& sql) override {
    sqlite::Connection db(path_);
    sqlite::exec(db.get(), sql.c_str());
  }
  std::string backend() const override { return "sqlite"; }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<TestStore> make_test_store(const TempDir& dir) { return std::make_unique<SqliteTestStore>(dir / "central.db"); }

}  // namespace borderpost::sync::testing
