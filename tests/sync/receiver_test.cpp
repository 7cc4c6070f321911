// The central office's verification of batches: what is stored, what is refused and why.
#include <doctest/doctest.h>

#include "sync/internal/files.hpp"
#include "fixtures.hpp"
#include "sample.hpp"
#include "sync/sqlite.hpp"
#include "sync/outbox.hpp"
#include "sync/protocol.hpp"
#include "sync/receiver.hpp"
#include "test_store.hpp"

using namespace borderpost::sync;
using namespace borderpost::sync::testing;

namespace {

// A post with its outbox and a central office with its store, sharing one directorate.
struct Setup {
  Directorate d;
  sqlite::Connection station_db{d.dir / "station.db"};
  Outbox outbox{station_db.get(), "PE-TUMBES-01", SigningKey::load(d.tumbes + "/signing.key")};
  std::string signer = read_text_file(d.tumbes + "/signing.crt");
  std::unique_ptr<TestStore> central = make_test_store(d.dir);
  std::unique_ptr<CentralStore> store = central->open();
  Trust trust{d.ca_cert(), d.crl()};
  Receiver receiver{*store, trust};

  std::vector<Record> make(int n) {
    std::vector<Record> out;
    for (int i = 0; i < n; ++i) out.push_back(outbox.append(sample_movement(i), now()));
    return out;
  }
  Reply send(const std::vector<Record>& records, const std::string& peer = "PE-TUMBES-01") {
    return receiver.receive(peer, encode_batch({"PE-TUMBES-01", signer, records}), true);
  }
};

}  // namespace

TEST_CASE("a batch continuing the chain is stored and acknowledged through its last record") {
  Setup s;
  const auto records = s.make(3);
  const auto reply = s.send(records);
  CHECK(reply.status == 200);
  CHECK(reply.ack.stored_through == 3);
  CHECK(reply.ack.accepted == 3);
  CHECK(reply.ack.head_hash == records.back().hash);
  CHECK(s.store->record_count() == 3);
  const auto stored = s.store->records("PE-TUMBES-01", 1, 10);
  REQUIRE(stored.size() == 3);
  CHECK(canonical_body(stored[1].record) == canonical_body(records[1]));
}

TEST_CASE("a re-sent batch is acknowledged again and never stored twice") {
  Setup s;
  const auto records = s.make(4);
  REQUIRE(s.send({records[0], records[1]}).status == 200);
  const auto reply = s.send(records);  // the acknowledgement of the first batch was lost
  CHECK(reply.status == 200);
  CHECK(reply.ack.duplicates == 2);
  CHECK(reply.ack.accepted == 2);
  CHECK(s.send(records).ack.duplicates == 4);
  CHECK(s.store->record_count() == 4);
}

TEST_CASE("one changed byte in a record refuses the whole batch and stores nothing") {
  Setup s;
  auto records = s.make(3);
  records[2].movement.traveller.surname = "ERIKSSEN";
  const auto reply = s.send(records);
  CHECK(reply.status == 422);
  CHECK(reply.ack.error == "record 3: the hash does not match the content");
  CHECK(reply.ack.stored_through == 0);
  CHECK(s.store->record_count() == 0);
}

TEST_CASE("a record re-hashed after a change still fails its signature") {
  Setup s;
  auto records = s.make(1);
  records[0].movement.decision = "refuse";
  records[0].hash = expected_hash(records[0]);
  const auto reply = s.send(records);
  CHECK(reply.status == 422);
  CHECK(reply.ack.error.find("signature does not verify") != std::string::npos);
  CHECK(s.store->record_count() == 0);
}

TEST_CASE("a record signed with another key is refused") {
  Setup s;
  auto records = s.make(1);
  records[0].signature = SigningKey::generate().sign(canonical_body(records[0]));
  CHECK(s.send(records).status == 422);
}

TEST_CASE("a different record under a used sequence number is refused and raised as a tamper alert") {
  Setup s;
  const auto records = s.make(2);
  REQUIRE(s.send(records).status == 200);
  auto forged = records[1];
  forged.movement.direction = "exit";
  forged.hash = expected_hash(forged);
  forged.signature = SigningKey::load(s.d.tumbes + "/signing.key").sign(canonical_body(forged));  // even with the real key
  const auto reply = s.send({forged});
  CHECK(reply.status == 409);
  CHECK(reply.ack.error.find("conflicts with the stored record") != std::string::npos);
  const auto alerts = s.store->alerts();
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].station == "PE-TUMBES-01");
  CHECK(s.store->record_count() == 2);
}

TEST_CASE("records out of order, with a gap, or from before the head are handled without storing") {
  Setup s;
  const auto records = s.make(4);
  CHECK(s.send({records[0], records[2]}).status == 400);
  const auto gap = s.send({records[2], records[3]});
  CHECK(gap.status == 409);
  CHECK(gap.ack.stored_through == 0);
  CHECK(gap.ack.error.find("resend from 1") != std::string::npos);
  CHECK(s.store->record_count() == 0);
}

TEST_CASE("a batch for another station, or signed with another station's certificate, is refused") {
  Setup s;
  const auto records = s.make(1);
  const auto other_peer = s.send(records, "PE-DESAGUADERO-02");
  CHECK(other_peer.status == 403);
  CHECK(other_peer.ack.error.find("certificate is station PE-DESAGUADERO-02") != std::string::npos);
  const auto wrong_signer = s.receiver.receive(
      "PE-TUMBES-01", encode_batch({"PE-TUMBES-01", read_text_file(s.d.desaguadero + "/signing.crt"), records}), true);
  CHECK(wrong_signer.status == 403);
  CHECK(s.store->record_count() == 0);
}

TEST_CASE("malformed and oversized batches get a clear refusal") {
  Setup s;
  CHECK(s.receiver.receive("PE-TUMBES-01", "not gzip", true).ack.error == "the batch is not valid gzip data");
  CHECK(s.receiver.receive("PE-TUMBES-01", "{\"v\":1}", false).status == 400);
  CHECK(s.receiver.receive("PE-TUMBES-01", "[1,2", false).ack.error == "the batch is not valid JSON");
  const std::string huge(kMaxBatchBytes + 1, 'x');
  CHECK(s.receiver.receive("PE-TUMBES-01", huge, false).status == 413);
  // A small gzip that expands past the limit (a compression bomb).
  const auto bomb = gzip(std::string(kMaxBatchExpandedBytes + 1, ' '));
  CHECK(bomb.size() < kMaxBatchBytes);
  const auto reply = s.receiver.receive("PE-TUMBES-01", bomb, true);
  CHECK(reply.status == 400);
  CHECK(reply.ack.error.find("expands beyond") != std::string::npos);
  CHECK(s.store->record_count() == 0);
}

TEST_CASE("the station's status shows its last sequence, last contact and the backlog it reported") {
  Setup s;
  const auto records = s.make(12);
  const std::vector<Record> first(records.begin(), records.begin() + 5);
  REQUIRE(s.receiver.receive("PE-TUMBES-01", encode_batch({"PE-TUMBES-01", s.signer, first}), true, 12).status == 200);
  auto stations = s.store->stations();
  REQUIRE(stations.size() == 1);
  CHECK(stations[0].station == "PE-TUMBES-01");
  CHECK(stations[0].last_seq == 5);
  CHECK(stations[0].last_contact.size() == 24);
  CHECK(stations[0].reported_head == 12);
  CHECK(stations[0].backlog() == 7);
  CHECK(s.receiver.head("PE-TUMBES-01").ack.stored_through == 5);
  // A post that does not say (an older one) leaves the last report; the backlog shrinks as it is stored.
  const std::vector<Record> rest(records.begin() + 5, records.end());
  REQUIRE(s.send(rest).status == 200);
  stations = s.store->stations();
  CHECK(stations[0].reported_head == 12);
  CHECK(stations[0].backlog() == 0);
}

TEST_CASE("an audit re-verifies the stored chains and finds a record altered in the database") {
  Setup s;
  REQUIRE(s.send(s.make(6)).status == 200);
  auto audit = audit_chains(*s.store);
  CHECK(audit.stations == 1);
  CHECK(audit.records == 6);
  CHECK(audit.problems.empty());
  // Someone with database access changes a traveller's surname behind the receiver's back.
  s.store.reset();
  s.central->execute("UPDATE records SET record = replace(record, 'ERIKSSON', 'ERIKSSEN') WHERE seq = 4");
  s.store = s.central->open();
  audit = audit_chains(*s.store);
  REQUIRE(audit.problems.size() >= 1);
  CHECK(audit.problems[0] == "PE-TUMBES-01 record 4: hash does not match the content");
}

TEST_CASE("the crossings report groups by post, local day, direction, nationality, sex and age band") {
  Setup s;
  auto at = [](const std::string& utc) { return Timestamp{utc, -300}; };  // Peru: UTC-5
  auto m = sample_movement(1);  // entry, UTO, F, born 1974-08-12
  s.outbox.append(m, at("2026-11-23T15:00:00.000Z"));  // local 2026-11-23, age 52
  s.outbox.append(m, at("2026-11-24T03:00:00.000Z"));  // still 2026-11-23 at the post
  auto child = m;
  child.traveller.birth_date = "2015-01-01";
  s.outbox.append(child, at("2026-11-23T16:00:00.000Z"));
  auto unknown = m;
  unknown.traveller.birth_date = "";
  unknown.direction = "exit";
  const auto wrong = s.outbox.append(unknown, at("2026-11-24T16:00:00.000Z"));
  // The inspector corrects the last one: it was an entry. Only the correction counts.
  auto fixed = unknown;
  fixed.direction = "entry";
  fixed.corrects = wrong.uuid;
  s.outbox.append(fixed, at("2026-11-24T16:05:00.000Z"));
  REQUIRE(s.send(s.outbox.pending(100)).status == 200);

  const auto rows = s.store->crossings({"2026-11-23", "2026-11-24", ""});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].day == "2026-11-23");
  CHECK(rows[0].age_band == "0-17");
  CHECK(rows[0].crossings == 1);
  CHECK(rows[1].age_band == "45-59");
  CHECK(rows[1].crossings == 2);
  CHECK(rows[2].day == "2026-11-24");
  CHECK(rows[2].direction == "entry");
  CHECK(rows[2].age_band == "unknown");
  CHECK(rows[2].crossings == 1);
  CHECK(s.store->crossings({"2026-11-24", "2026-11-24", "PE-OTHER-01"}).empty());
  const auto csv = report_csv(rows);
  CHECK(csv.rfind("station,day,direction,nationality,sex,age_band,crossings\n", 0) == 0);
  CHECK(csv.find("PE-TUMBES-01,2026-11-23,entry,UTO,F,45-59,2\n") != std::string::npos);
  CHECK(nlohmann::json::parse(report_json({"2026-11-23", "2026-11-24", ""}, rows))["total"] == 4);
}

TEST_CASE("ages count whole years up to the day before the birthday") {
  CHECK(age_on("1974-08-12", "2026-08-11") == 51);
  CHECK(age_on("1974-08-12", "2026-08-12") == 52);
  CHECK(age_on("", "2026-08-12") == -1);
  CHECK(age_on("2030-01-01", "2026-08-12") == -1);
  CHECK(age_band(17) == "0-17");
  CHECK(age_band(18) == "18-29");
  CHECK(age_band(60) == "60+");
  CHECK(age_band(-1) == "unknown");
}

TEST_CASE("records across a year's end and with an apostrophe in a name are stored and re-verify byte for byte") {
  Setup s;
  auto m = sample_movement(3);
  m.traveller.surname = "O'BRIEN";
  s.outbox.append(m, {"2026-12-31T23:59:59.999Z", 0});
  s.outbox.append(m, {"2027-01-01T00:00:00.000Z", 0});
  s.outbox.append(m, {"2027-02-14T12:00:00.000Z", 0});
  REQUIRE(s.send(s.outbox.pending(10)).status == 200);
  const auto stored = s.store->records("PE-TUMBES-01", 1, 10);
  REQUIRE(stored.size() == 3);
  CHECK(stored[0].record.movement.traveller.surname == "O'BRIEN");
  CHECK(stored[1].record.recorded_at == "2027-01-01T00:00:00.000Z");
  CHECK(audit_chains(*s.store).problems.empty());
  CHECK(s.store->crossings({"2026-12-31", "2027-01-01", ""}).size() == 2);
}

TEST_CASE("a second server appending a batch the first one already stored is stopped by the stored head") {
  Setup s;
  const auto records = s.make(4);
  REQUIRE(s.send(records).status == 200);
  // Another central server of the same directorate, sharing the database, that verified the same
  // batch against the old head a moment earlier.
  auto second = s.central->open();
  std::vector<std::string> texts;
  for (const auto& r : records) texts.push_back(to_json(r).dump());
  CHECK_THROWS_AS(second->append("PE-TUMBES-01", records, texts, {"fp", s.signer}, "2026-11-23T10:00:00.000Z"), ChainMoved);
  CHECK(s.store->record_count() == 4);
  CHECK(s.store->head("PE-TUMBES-01").seq == 4);
}

TEST_CASE("watch-list changes get consecutive versions, and bad changes are refused and change nothing") {
  Setup s;
  const WatchlistEntry doc{"id-1", WatchlistKind::Document, "L898902C3", "UTO", "", "", "", "", "stolen"};
  const WatchlistEntry who{"id-2", WatchlistKind::Person, "", "", "ERIKSSON", "ANNA MARIA", "1974-08-12", "UTO", "arrest warrant"};
  CHECK(s.store->watchlist_change("add", doc, "2026-11-23T10:00:00.000Z") == 1);
  CHECK(s.store->watchlist_change("add", who, "2026-11-23T10:00:01.000Z") == 2);
  CHECK_THROWS_AS(s.store->watchlist_change("add", doc, "t"), std::invalid_argument);  // already listed
  WatchlistEntry bad = doc;
  bad.id = "id-3";
  bad.document_number = "l8989";
  CHECK_THROWS_AS(s.store->watchlist_change("add", bad, "t"), std::invalid_argument);
  CHECK_THROWS_AS(s.store->watchlist_change("remove", watchlist_removal("id-9"), "t"), std::invalid_argument);
  CHECK(s.store->watchlist_change("remove", watchlist_removal("id-1"), "2026-11-23T10:00:02.000Z") == 3);
  CHECK_THROWS_AS(s.store->watchlist_change("remove", watchlist_removal("id-1"), "t"), std::invalid_argument);

  const auto entries = s.store->watchlist_entries();
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].surname == "ERIKSSON");
  const auto page = s.store->watchlist_after(1, 10);
  CHECK(page.latest == 3);
  REQUIRE(page.changes.size() == 2);
  CHECK(page.changes[1].action == "remove");
  CHECK(page.changes[1].entry.kind == WatchlistKind::Document);
  CHECK(s.store->watchlist_after(0, 2).changes.size() == 2);
  CHECK(s.store->watchlist_after(3, 10).changes.empty());
}
