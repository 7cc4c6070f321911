// The station's outbox: records chained, signed and kept until acknowledged, in the station's database.
#include <doctest/doctest.h>

#include <filesystem>

#include "sample.hpp"
#include "sync/sqlite.hpp"
#include "sync/outbox.hpp"

using namespace borderpost::sync;
using borderpost::sync::testing::sample_movement;

namespace {

struct TempDb {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("outbox-test-" + random_uuid());
  TempDb() { std::filesystem::create_directories(dir); }
  ~TempDb() { std::filesystem::remove_all(dir); }
  std::string path() const { return (dir / "station.db").string(); }
};

}  // namespace

TEST_CASE("appended records form a gap-free signed chain starting at 1") {
  TempDb tmp;
  sqlite::Connection db(tmp.path());
  const auto key = SigningKey::generate();
  Outbox outbox(db.get(), "PE-TUMBES-01", key.share());
  std::string prev = kGenesisHash;
  for (int i = 1; i <= 5; ++i) {
    const auto r = outbox.append(sample_movement(i), now());
    CHECK(r.seq == static_cast<std::uint64_t>(i));
    CHECK(r.prev_hash == prev);
    CHECK(r.hash == expected_hash(r));
    CHECK(verify_signature(key.get(), canonical_body(r), r.signature));
    prev = r.hash;
  }
  const auto pending = outbox.pending(100);
  REQUIRE(pending.size() == 5);
  CHECK(pending.front().seq == 1);
  CHECK(pending.back().hash == prev);
}

TEST_CASE("a record appended inside a rolled-back transaction leaves no trace, not even a used number") {
  TempDb tmp;
  sqlite::Connection db(tmp.path());
  Outbox outbox(db.get(), "PE-TUMBES-01", SigningKey::generate());
  outbox.append(sample_movement(1), now());
  {
    sqlite::Transaction movement(db.get());
    outbox.append(sample_movement(2), now());
    // no commit: the movement failed to save (disk full, say)
  }
  const auto r = outbox.append(sample_movement(3), now());
  CHECK(r.seq == 2);
  CHECK(outbox.status().pending == 2);
}

TEST_CASE("acknowledged records leave, and the chain continues across a reopened database") {
  TempDb tmp;
  const auto key = SigningKey::generate();
  std::string last_hash;
  {
    sqlite::Connection db(tmp.path());
    Outbox outbox(db.get(), "PE-TUMBES-01", key.share());
    for (int i = 1; i <= 4; ++i) last_hash = outbox.append(sample_movement(i), now()).hash;
    outbox.acknowledge(3);
    outbox.acknowledge(2);  // a stale acknowledgement changes nothing
    CHECK(outbox.status().acknowledged == 3);
    CHECK_THROWS_WITH(outbox.acknowledge(9), doctest::Contains("only 4 exist"));
  }
  sqlite::Connection db(tmp.path());
  Outbox outbox(db.get(), "PE-TUMBES-01", key.share());
  const auto pending = outbox.pending(10);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].seq == 4);
  const auto next = outbox.append(sample_movement(5), now());
  CHECK(next.seq == 5);
  CHECK(next.prev_hash == last_hash);
  const auto s = outbox.status();
  CHECK(s.pending == 2);
  CHECK(s.last_seq == 5);
  CHECK(s.oldest_pending == pending[0].recorded_at);
}

TEST_CASE("a database of one station refuses to serve as another's outbox") {
  TempDb tmp;
  sqlite::Connection db(tmp.path());
  Outbox first(db.get(), "PE-TUMBES-01", SigningKey::generate());
  CHECK_THROWS_WITH(Outbox(db.get(), "PE-DESAGUADERO-02", SigningKey::generate()),
                    doctest::Contains("holds the record chain of station PE-TUMBES-01"));
}

TEST_CASE("a movement with a malformed field is refused and nothing is queued") {
  TempDb tmp;
  sqlite::Connection db(tmp.path());
  Outbox outbox(db.get(), "PE-TUMBES-01", SigningKey::generate());
  auto m = sample_movement(1);
  m.traveller.sex = "female";
  CHECK_THROWS_WITH_AS(outbox.append(m, now()), doctest::Contains("sex must be"), std::invalid_argument);
  CHECK(outbox.status().pending == 0);
  CHECK(outbox.append(sample_movement(2), now()).seq == 1);
}

TEST_CASE("contact results are kept for the station's sync status") {
  TempDb tmp;
  sqlite::Connection db(tmp.path());
  Outbox outbox(db.get(), "PE-TUMBES-01", SigningKey::generate());
  outbox.note_contact("connection refused");
  CHECK(outbox.status().last_error == "connection refused");
  CHECK(outbox.status().last_contact.empty());
  outbox.note_contact("");
  CHECK(outbox.status().last_error.empty());
  CHECK(outbox.status().last_contact.size() == 24);
}
