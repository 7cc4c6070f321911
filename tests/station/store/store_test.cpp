// The station database: one transaction per decision, migrations, queries, the chain check.
#include <doctest/doctest.h>

#include <filesystem>

#include "store/store.hpp"
#include "store_support.hpp"
#include "sync/crypto.hpp"

namespace {

namespace fs = std::filesystem;
using namespace borderpost;
using station::MovementDraft;
using station::Store;
using store_support::draft;
using store_support::TempDir;

}  // namespace

TEST_CASE("a decision writes the movement, its checks, its audit entry and its outbox record together") {
  TempDir dir;
  Store store(dir.file("station.db"));
  sync::Outbox outbox(store.db(), "PE-TUMBES-01", sync::SigningKey::generate());
  const auto stored = store.record(draft("A1234567", "entry", "2026-11-23"), outbox, sync::now(), "insp-07");
  CHECK(stored.seq == 1);
  CHECK(store.movement_count() == 1);
  CHECK(outbox.status().pending == 1);
  const auto again = store.movement(stored.uuid);
  REQUIRE(again);
  CHECK(again->draft.checks.size() == 2);
  CHECK(again->draft.checks[1].measurement == "age 38");
  // The phrases the pages say in the reader's language come back as they were written.
  CHECK(again->draft.checks[0].reason_phrase.key == "reason.mrz.valid.pass");
  CHECK(again->draft.checks[0].measurement_phrase.empty());
  CHECK(again->draft.checks[1].reason_phrase.key == "reason.traveller.minor.pass");
  CHECK(again->draft.checks[1].measurement_phrase.args == mrz::MessageArgs{{"age", "38"}});
  CHECK(again->draft.movement.traveller.surname == "QUISPE MAMANI");
  CHECK(again->draft.mrz_lines.size() == 2);
  const auto trail = store.audit_trail(10);
  REQUIRE(!trail.empty());
  CHECK(trail.front().action == "movement.recorded");
  CHECK(trail.front().subject == stored.uuid);
}

TEST_CASE("the last movement of a document at the post is found by number and issuer") {
  TempDir dir;
  Store store(dir.file("station.db"));
  sync::Outbox outbox(store.db(), "PE-TUMBES-01", sync::SigningKey::generate());
  CHECK_FALSE(store.previous_movement("A1234567", "PER"));
  store.record(draft("A1234567", "entry", "2026-10-01"), outbox, sync::now(), "insp-07");
  store.record(draft("A1234567", "exit", "2026-11-20"), outbox, sync::now(), "insp-07");
  store.record(draft("B7654321", "entry", "2026-11-21"), outbox, sync::now(), "insp-07");
  const auto last = store.previous_movement("A1234567", "PER");
  REQUIRE(last);
  CHECK(last->direction == station::Direction::exit);
  CHECK(last->local_date == std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::November, std::chrono::day{20}});
  CHECK_FALSE(store.previous_movement("A1234567", "COL"));
}

TEST_CASE("the daily log filters by day, direction and inspector") {
  TempDir dir;
  Store store(dir.file("station.db"));
  sync::Outbox outbox(store.db(), "PE-TUMBES-01", sync::SigningKey::generate());
  store.record(draft("A1", "entry", "2026-11-22"), outbox, sync::now(), "insp-07");
  store.record(draft("A2", "entry", "2026-11-23"), outbox, sync::now(), "insp-07");
  auto exit = draft("A3", "exit", "2026-11-23");
  exit.movement.inspector = "insp-09";
  store.record(exit, outbox, sync::now(), "insp-09");
  station::MovementFilter day;
  day.from = day.to = "2026-11-23";
  CHECK(store.movements(day).size() == 2);
  day.direction = "exit";
  CHECK(store.movements(day).size() == 1);
  day.direction.clear();
  day.inspector = "insp-07";
  const auto mine = store.movements(day);
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].draft.movement.document.number == "A2");
}

TEST_CASE("a full disk refuses the movement and keeps nothing of it") {
  TempDir dir;
  Store store(dir.file("station.db"), 1);  // a 1 MB cap
  sync::Outbox outbox(store.db(), "PE-TUMBES-01", sync::SigningKey::generate());
  auto big = draft("A1234567", "entry", "2026-11-23");
  big.note = std::string(1500, 'n');
  std::uint64_t recorded = 0;
  bool refused = false;
  for (int i = 0; i < 5000 && !refused; ++i) {
    try {
      store.record(big, outbox, sync::now(), "insp-07");
      ++recorded;
    } catch (const sync::sqlite::Error& e) {
      refused = true;
      CHECK(std::string(e.what()).find("full") != std::string::npos);
    }
  }
  REQUIRE(refused);
  CHECK(store.movement_count() == recorded);
  CHECK(outbox.status().last_seq == recorded);
  CHECK(outbox.status().pending == recorded);
  CHECK(store.check().ok());
}

TEST_CASE("a database from every earlier schema version migrates to the current one and keeps its movements") {
  for (int from = 0; from < Store::kSchemaVersion; ++from) {
    CAPTURE(from);
    TempDir dir;
    std::string uuid;
    {
      sync::sqlite::Connection old(dir.file("station.db"));
      station::migrate(old.get(), from);
      if (from >= 1) {
        sync::sqlite::exec(old.get(),
                           "INSERT INTO movements(uuid, seq, recorded_at, local_date, local_time, utc_offset, direction, decision,"
                           " refusal_reason, note, companion, inspector, mrz_source, mrz_lines, doc_format, doc_code, issuer,"
                           " doc_number, expiry, surname, given_names, nationality, birth_date, sex, verdict, alerts, record)"
                           " VALUES ('u-1', 1, '2026-01-01T10:00:00.000Z', '2026-01-01', '05:00:00', -300, 'entry', 'admit', '', '',"
                           " '', 'insp-01', 'optical', '', 'TD3', 'P', 'PER', 'X1', '2030-01-01', 'A', 'B', 'PER', '', 'F', 'pass', 0, '{}')");
      }
    }
    Store store(dir.file("station.db"));
    CHECK(store.schema_version() == Store::kSchemaVersion);
    CHECK(store.movement_count() == (from >= 1 ? 1U : 0U));
  }
}

TEST_CASE("a database newer than the program is refused, not damaged") {
  TempDir dir;
  {
    sync::sqlite::Connection db(dir.file("station.db"));
    sync::sqlite::exec(db.get(), "PRAGMA user_version = 99");
  }
  CHECK_THROWS_WITH_AS(Store(dir.file("station.db")), doctest::Contains("newer than this program"), std::runtime_error);
}

TEST_CASE("a store opened read-only reads what was recorded and refuses every write, keeping nothing") {
  TempDir dir;
  const auto key = sync::SigningKey::generate();
  {
    Store store(dir.file("station.db"));
    sync::Outbox outbox(store.db(), "PE-TUMBES-01", key.share());
    store.record(draft("A1234567", "entry", "2026-11-23"), outbox, sync::now(), "insp-07");
  }
  Store store(dir.file("station.db"), 0, sync::sqlite::Access::ReadOnly);
  CHECK_FALSE(store.writable());
  CHECK(store.movement_count() == 1);
  CHECK(store.previous_movement("A1234567", "PER").has_value());
  sync::Outbox outbox(store.db(), "PE-TUMBES-01", key.share());  // reads the chain, creates nothing
  CHECK(outbox.status().pending == 1);
  CHECK_THROWS_WITH_AS(store.record(draft("B7654321", "entry", "2026-11-23"), outbox, sync::now(), "insp-07"),
                       doctest::Contains("readonly"), sync::sqlite::Error);
  CHECK_THROWS_AS(store.audit("insp-07", "movements.list", "2026-11-23", ""), sync::sqlite::Error);
  CHECK(store.movement_count() == 1);
  CHECK(store.check(key.get()).ok());
  CHECK_THROWS_WITH_AS(sync::Outbox(store.db(), "PE-OTHER-02", key.share()), doctest::Contains("PE-TUMBES-01"), std::runtime_error);
}

TEST_CASE("a store of an older schema on a read-only disk is refused with the reason") {
  TempDir dir;
  {
    sync::sqlite::Connection db(dir.file("station.db"));
    station::migrate(db.get(), 1);
  }
  CHECK_THROWS_WITH_AS(Store(dir.file("station.db"), 0, sync::sqlite::Access::ReadOnly), doctest::Contains("cannot be upgraded on a read-only disk"),
                       std::runtime_error);
  CHECK_THROWS_AS(Store(dir.file("missing.db"), 0, sync::sqlite::Access::ReadOnly), sync::sqlite::Error);
  CHECK_FALSE(fs::exists(dir.file("missing.db")));
}

TEST_CASE("the chain check finds an altered movement record and a bad signature") {
  TempDir dir;
  Store store(dir.file("station.db"));
  auto key = sync::SigningKey::generate();
  sync::Outbox outbox(store.db(), "PE-TUMBES-01", key.share());
  for (int i = 0; i < 3; ++i) store.record(draft(std::string("A").append(std::to_string(i)), "entry", "2026-11-23"), outbox, sync::now(), "insp-07");
  CHECK(store.check(key.get()).ok());
  auto other = sync::SigningKey::generate();
  CHECK_FALSE(store.check(other.get()).ok());
  sync::sqlite::exec(store.db(), "UPDATE movements SET record = replace(record, '\"A1\"', '\"A9\"') WHERE seq = 2");
  const auto health = store.check(key.get());
  CHECK_FALSE(health.ok());
  REQUIRE(!health.chain_problems.empty());
  CHECK(health.chain_problems[0].find("record 2") != std::string::npos);
}
