// Each test gets its own schema in the throw-away cluster, dropped afterwards, so tests running in
// parallel never see each other's tables.
#include <cstdlib>
#include <stdexcept>

#include <pqxx/pqxx>

#include "sync/crypto.hpp"
#include "test_store.hpp"

namespace borderpost::sync::testing {
namespace {

std::string cluster_uri() {
  const char* uri = std::getenv("BORDERPOST_TEST_POSTGRESQL");
  if (!uri || !*uri)
    throw std::runtime_error("BORDERPOST_TEST_POSTGRESQL is not set: run these tests through ctest, which starts the cluster");
  return uri;
}

class PostgresTestStore final : public TestStore {
 public:
  PostgresTestStore() : admin_(cluster_uri()) {
    pqxx::nontransaction(admin_).exec("CREATE SCHEMA " + schema_);
  }
  ~PostgresTestStore() override {
    try {
      pqxx::nontransaction(admin_).exec("DROP SCHEMA " + schema_ + " CASCADE");
    } catch (const std::exception&) {
      // the cluster is thrown away after the run anyway
    }
  }
  std::unique_ptr<CentralStore> open() override {
    // The URI already has a query part (?host=...); the schema goes first on the search path.
    return open_postgresql_store(cluster_uri() + "&options=-csearch_path%3D" + schema_, 4);
  }
  void execute(const std::string& sql) override {
    pqxx::work w(admin_);
    w.exec("SET LOCAL search_path = " + schema_);
    w.exec(sql);
    w.commit();
  }
  std::string backend() const override { return "postgresql"; }

 private:
  std::string schema_ = "test_" + sha256_hex(random_uuid()).substr(0, 16);
  pqxx::connection admin_;
};

}  // namespace

std::unique_ptr<TestStore> make_test_store(const TempDir&) { return std::make_unique<PostgresTestStore>(); }

}  // namespace borderpost::sync::testing
