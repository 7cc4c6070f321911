// The supervisor's views of the records: statistics over a range of days, the signed sign-off of
// a day, and the audit trail's filters.
#include <doctest/doctest.h>

#include "store/day_signoff.hpp"
#include "store/statistics.hpp"
#include "store_support.hpp"
#include "sync/sqlite.hpp"

namespace {

using namespace borderpost;
using station::Store;
using store_support::draft;
using store_support::TempDir;

struct Post {
  TempDir dir;
  Store store{dir.file("station.db")};
  sync::SigningKey key = sync::SigningKey::generate();
  sync::Outbox outbox{store.db(), "PE-TUMBES-01", key.share()};

  void record(station::MovementDraft d) { store.record(d, outbox, sync::now(), d.movement.inspector); }
};

station::MovementDraft crossing(const std::string& number, const std::string& direction, const std::string& date, const std::string& time,
                                const std::string& nationality, const std::string& sex, const std::string& birth) {
  auto d = draft(number, direction, date);
  d.local_time = time;
  d.movement.traveller.nationality = nationality;
  d.movement.traveller.sex = sex;
  d.movement.traveller.birth_date = birth;
  return d;
}

}  // namespace

TEST_CASE("age bands count whole years on the crossing day, birthdays included") {
  CHECK(station::age_band("2008-11-23", "2026-11-23") == "18-29");
  CHECK(station::age_band("2008-11-24", "2026-11-23") == "12-17");
  CHECK(station::age_band("2015-01-01", "2026-11-23") == "0-11");
  CHECK(station::age_band("1981-11-23", "2026-11-23") == "45-59");
  CHECK(station::age_band("1981-11-24", "2026-11-23") == "30-44");
  CHECK(station::age_band("1966-11-23", "2026-11-23") == "60+");
  CHECK(station::age_band("2000-02-29", "2026-02-28") == "18-29");
  CHECK(station::age_band("", "2026-11-23") == "unknown");
  CHECK(station::age_band("2030-01-01", "2026-11-23") == "unknown");
}

TEST_CASE("statistics count a range of days by hour, day, direction, decision, nationality, sex, age, refusal reason and alert") {
  Post post;
  post.record(crossing("A1", "entry", "2026-11-22", "23:59:59", "PER", "F", "1990-01-01"));
  post.record(crossing("A2", "entry", "2026-11-23", "00:00:00", "PER", "M", "2010-06-15"));
  post.record(crossing("A3", "exit", "2026-11-23", "08:30:00", "CHL", "X", ""));
  auto refused = crossing("A4", "entry", "2026-11-23", "08:45:00", "COL", "F", "1960-03-03");
  refused.movement.decision = "refuse";
  refused.refusal_reason = "R02";
  refused.checks.push_back({"watchlist.document", station::CheckStatus::Fail, "Reported stolen.", "", true, {}, {}});
  refused.checks.push_back({"traveller.minor", station::CheckStatus::Warn, "Minor.", "", true, {}, {}});
  post.record(refused);
  auto referred = crossing("A5", "exit", "2026-11-24", "12:00:00", "PER", "F", "1990-01-01");
  referred.movement.decision = "refer";
  referred.checks.push_back({"watchlist.document", station::CheckStatus::Fail, "Reported stolen.", "", true, {}, {}});
  post.record(referred);

  const auto s = station::compute_statistics(post.store.db(), "2026-11-23", "2026-11-24");
  CHECK(s.totals == station::DirectionCounts{2, 2});
  CHECK(s.admitted == 2);
  CHECK(s.refused == 1);
  CHECK(s.referred == 1);
  CHECK(s.with_alerts == 2);
  CHECK(s.per_hour[0] == station::DirectionCounts{1, 0});
  CHECK(s.per_hour[8] == station::DirectionCounts{1, 1});
  CHECK(s.per_hour[12] == station::DirectionCounts{0, 1});
  CHECK(s.per_hour[23] == station::DirectionCounts{});  // the 22nd is outside the range
  REQUIRE(s.per_day.size() == 2);
  CHECK(s.per_day.at("2026-11-23") == station::DirectionCounts{2, 1});
  CHECK(s.nationality.at("PER") == 2);
  CHECK(s.nationality.at("CHL") == 1);
  CHECK(s.sex.at("F") == 2);
  CHECK(s.sex.at("X") == 1);
  CHECK(s.age_band.at("12-17") == 1);
  CHECK(s.age_band.at("60+") == 1);
  CHECK(s.age_band.at("unknown") == 1);
  CHECK(s.refusal_reason == std::map<std::string, std::uint64_t>{{"R02", 1}});
  CHECK(s.alerts == std::map<std::string, std::uint64_t>{{"traveller.minor", 1}, {"watchlist.document", 2}});

  const auto empty = station::compute_statistics(post.store.db(), "2025-01-01", "2025-01-31");
  CHECK(empty.totals.total() == 0);
  CHECK(empty.per_day.empty());
}

TEST_CASE("a day's sign-off is signed by the station and tells when the day's records change afterwards") {
  Post post;
  post.record(draft("A1", "entry", "2026-11-22"));
  post.record(draft("A2", "entry", "2026-11-23"));
  post.record(draft("A3", "exit", "2026-11-23"));

  auto totals = station::day_totals(post.store.db(), "2026-11-23");
  CHECK(totals.movements == 2);
  CHECK(totals.entries == 1);
  CHECK(totals.exits == 1);
  CHECK(totals.first_seq == 2);
  CHECK(totals.last_seq == 3);
  CHECK(totals.records_sha256.size() == 64);
  CHECK(station::day_totals(post.store.db(), "2026-11-22").records_sha256 != totals.records_sha256);
  CHECK(station::day_totals(post.store.db(), "2026-11-20").movements == 0);

  const auto signed_off = station::sign_day(totals, "PE-TUMBES-01", "sup-01", "2026-11-23T23:10:00.000Z", "quiet day", post.key);
  CHECK(station::check_sign_off(signed_off, post.key.get(), totals) == station::SignOffState::Intact);
  // Kept as an audit entry and read back exactly.
  post.store.audit("sup-01", station::kSignOffAction, "2026-11-23", station::to_json(signed_off).dump());
  const auto kept = station::latest_sign_off(post.store.db(), "2026-11-23");
  REQUIRE(kept);
  CHECK(kept->statement() == signed_off.statement());
  CHECK(kept->signature == signed_off.signature);
  CHECK_FALSE(station::latest_sign_off(post.store.db(), "2026-11-22"));

  // Another station's key, a changed note, a movement added later, an altered entry.
  const auto other = sync::SigningKey::generate();
  CHECK(station::check_sign_off(*kept, other.get(), totals) == station::SignOffState::SignatureBroken);
  auto edited = *kept;
  edited.note = "busy day";
  CHECK(station::check_sign_off(edited, post.key.get(), totals) == station::SignOffState::SignatureBroken);
  post.record(draft("A4", "entry", "2026-11-23"));
  const auto later = station::day_totals(post.store.db(), "2026-11-23");
  CHECK(station::check_sign_off(*kept, post.key.get(), later) == station::SignOffState::RecordsChanged);
  sync::sqlite::exec(post.store.db(), "UPDATE audit SET detail = replace(detail, 'quiet', 'QUIET') WHERE action = 'day.signed-off'");
  CHECK(station::check_sign_off(*station::latest_sign_off(post.store.db(), "2026-11-23"), post.key.get(), totals) ==
        station::SignOffState::SignatureBroken);
  sync::sqlite::exec(post.store.db(), "UPDATE audit SET detail = 'not json' WHERE action = 'day.signed-off'");
  const auto garbled = station::latest_sign_off(post.store.db(), "2026-11-23");
  REQUIRE(garbled);  // still a sign-off on record, one that fails its check
  CHECK(station::check_sign_off(*garbled, post.key.get(), totals) == station::SignOffState::SignatureBroken);
}

TEST_CASE("the audit trail filters by time, actor and action, newest first, in pages") {
  Post post;
  for (int i = 0; i < 5; ++i) post.store.audit("sup-01", "movements.listed", "2026-11-23", std::to_string(i));
  post.store.audit("insp-07", "session.opened", "ok", "");
  post.store.audit("insp-07", "session.refused", "wrong-password", "");
  station::AuditFilter f;
  f.actor = "insp-07";
  auto entries = post.store.audit_trail(f);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].action == "session.refused");  // newest first
  f = {};
  f.action_prefix = "movements.";
  f.limit = 3;
  entries = post.store.audit_trail(f);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].detail == "4");
  f.before_id = entries.back().id;
  entries = post.store.audit_trail(f);
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].detail == "0");
  f = {};
  f.from_utc = "2999-01-01T00:00:00";
  CHECK(post.store.audit_trail(f).empty());
  f = {};
  f.action_prefix = "session%";  // a pattern character is only a character
  CHECK(post.store.audit_trail(f).empty());
}
