// The station daemon end to end: the real borderpost-station process, its local API and event
// feed, the simulated page reader, and the database it leaves behind.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include <unistd.h>

// GCC 12 with ASan flags Boost 1.74's response parser (an optional content length) as
// maybe-uninitialized: the known false positive station/web/src/local_client.cpp notes too.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <toml++/toml.h>

#include "station_support.hpp"
#include "sync/crypto.hpp"
#include "sync/sqlite.hpp"
#include "sync/station_watchlist.hpp"

using namespace borderpost::test;
using nlohmann::json;

namespace {

json checks_by_id(const json& inspection) {
  json by_id = json::object();
  for (const auto& c : inspection["verdict"]["checks"]) by_id[c["id"].get<std::string>()] = c["status"];
  return by_id;
}

}  // namespace

TEST_CASE("a document placed on the reader is read, checked and shown live, and the decision records one movement") {
  StationPost post("flow");
  auto api = post.start_with_passport();
  EventFeed events(post.port, api.cookie());

  place_and_wait(api, events);
  const auto read = events.wait_for("document-read", std::chrono::seconds(20));
  REQUIRE(read);
  CHECK((*read)["inspection"]["read"]["status"] == "valid");
  const auto checked = events.wait_for("checks-done", std::chrono::seconds(10));
  REQUIRE(checked);
  const auto& inspection = (*checked)["inspection"];
  CHECK(inspection["document"]["document_number"] == "0722392");
  const auto checks = checks_by_id(inspection);
  CHECK(checks.size() == 21);  // ten of the document, six of the chip, five of the page's security features
  CHECK(checks["chip.access"] == "not-run");  // this post has no chip reader
  CHECK(checks["mrz.valid"] == "pass");
  CHECK(checks["document.expired"] == "fail");  // expired 2024-04-06, the post's date is 2026-11-23
  CHECK(inspection["verdict"]["overall"] == "fail");

  const auto decided = api.post("/api/inspection/decision", {{"decision", "refer"}, {"inspection", inspection["id"]}});
  INFO(decided.body.dump());
  REQUIRE(decided.status == 201);
  CHECK(decided.body["seq"] == 1);
  CHECK(decided.body["images"].contains("white"));
  CHECK(fs::exists(post.dir / "data" / decided.body["images"]["white"].get<std::string>()));
  REQUIRE(events.wait_for("movement-recorded", std::chrono::seconds(10)));
  CHECK(api.post("/api/inspection/decision", {{"decision", "admit"}}).status == 409);  // decided once

  const auto day = api.get("/api/movements?date=2026-11-23");
  REQUIRE(day.status == 200);
  REQUIRE(day.body["count"] == 1);
  CHECK(day.body["movements"][0]["decision"] == "refer");
  CHECK(day.body["movements"][0]["inspector"] == "insp-07");
  const auto one = api.get("/api/movements/" + decided.body["uuid"].get<std::string>());
  CHECK(one.body["checks"].size() == 21);

  const auto listed = run_process(kBorderpostBin, {"movements", "list", "--db", post.db_path(), "--date", "2026-11-23", "--json"});
  REQUIRE(listed.exit_code == 0);
  CHECK(json::parse(listed.out).size() == 1);
  const auto checked_db = run_process(kBorderpostBin, {"db", "check", "--db", post.db_path()});
  INFO(checked_db.out);
  CHECK(checked_db.exit_code == 0);
  CHECK(checked_db.out.find("signatures verified") != std::string::npos);
}

TEST_CASE("the daily log comes a page at a time, and the export streams every movement as CSV or JSON") {
  StationPost post("log");
  post.start();
  auto api = post.client();
  const auto reason = api.get("/api/refusal-reasons").body.at(0)["code"].get<std::string>();
  std::vector<std::string> recorded;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(api.post("/api/inspection/manual", {{"mrz", typed_td3(40 + i)}}).status == 200);
    json decision{{"decision", i % 2 ? "refer" : "admit"}};
    if (i == 4) decision = {{"decision", "refuse"}, {"refusal_reason", reason}};
    const auto answer = api.post("/api/inspection/decision", decision);
    REQUIRE(answer.status == 201);
    recorded.push_back(answer.body["uuid"].get<std::string>());
  }

  std::vector<std::string> paged;
  std::string after;
  for (int page = 0; page < 3; ++page) {
    const auto answer = api.get("/api/movements?date=2026-11-23&limit=2" + (after.empty() ? "" : "&after=" + after));
    REQUIRE(answer.status == 200);
    CHECK(answer.body["count"] == (page < 2 ? 2 : 1));
    CHECK(answer.body["total"] == (page == 0 ? json(5) : json(nullptr)));
    for (const auto& m : answer.body["movements"]) paged.push_back(m["uuid"].get<std::string>());
    CHECK(answer.body["next"].is_null() == (page == 2));
    if (!answer.body["next"].is_null()) after = answer.body["next"].get<std::string>();
  }
  CHECK(paged == recorded);  // in recording order, each once
  CHECK(api.get("/api/movements?date=2026-11-23&decision=refuse").body["total"] == 1);
  CHECK(api.get("/api/movements?limit=0").status == 400);
  CHECK(api.get("/api/movements?limit=5001").status == 400);
  CHECK(api.get("/api/movements?after=yesterday").status == 400);

  const auto csv_file = post.dir / "november.csv";
  const auto csv = run_process(kBorderpostBin, {"movements", "export", "--db", post.db_path(), "--from", "2026-11-01", "--to",
                                                "2026-11-30", "--format", "csv", "--out", csv_file.string()});
  INFO(csv.err);
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.err.find("exported 5 movement(s)") != std::string::npos);
  CHECK_FALSE(fs::exists(csv_file.string() + ".partial"));
  std::ifstream csv_in(csv_file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv_in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0].rfind("local_date,local_time,direction,decision,refusal_reason,", 0) == 0);
  CHECK(lines[5].find(",refuse," + reason + ",insp-07,typed,") != std::string::npos);
  CHECK(lines[5].find(recorded[4]) != std::string::npos);

  const auto as_json = run_process(kBorderpostBin, {"movements", "export", "--db", post.db_path(), "--from", "2026-11-23", "--to",
                                                    "2026-11-23", "--format", "json"});
  REQUIRE(as_json.exit_code == 0);
  const auto exported = json::parse(as_json.out);
  REQUIRE(exported.size() == 5);
  CHECK(exported[4]["uuid"] == recorded[4]);
  CHECK(exported[4]["checks"].size() == 21);
  const auto none = run_process(kBorderpostBin, {"movements", "export", "--db", post.db_path(), "--from", "2026-12-01", "--to",
                                                 "2026-12-31", "--format", "json"});
  CHECK(json::parse(none.out) == json::array());
  const auto backwards = run_process(kBorderpostBin, {"movements", "export", "--db", post.db_path(), "--from", "2026-11-30", "--to",
                                                      "2026-11-01"});
  CHECK(backwards.exit_code == 1);
  CHECK(backwards.err.find("--to is before --from") != std::string::npos);

  borderpost::sync::sqlite::Connection db(post.db_path());
  borderpost::sync::sqlite::Statement audited(db.get(), "SELECT count(*) FROM audit WHERE action = 'movements.export'");
  REQUIRE(audited.step());
  CHECK(audited.integer(0) == 3);  // who exported what stays on record (the refused one is not an export)
}

TEST_CASE("decisions are validated: refusals need a reason code, a minor needs the companion recorded") {
  StationPost post("rules");
  post.start();
  auto api = post.client();
  auto typed = api.post("/api/inspection/manual", {{"mrz", typed_td3(1, 2014)}});
  REQUIRE(typed.status == 200);
  CHECK(typed.body["source"] == "typed");
  CHECK(checks_by_id(typed.body)["traveller.minor"] == "warn");
  CHECK(api.post("/api/inspection/decision", {{"decision", "refuse"}}).status == 400);
  CHECK(api.post("/api/inspection/decision", {{"decision", "refuse"}, {"refusal_reason", "Q"}}).status == 400);
  const auto minor = api.post("/api/inspection/decision", {{"decision", "admit"}});
  CHECK(minor.status == 422);
  CHECK(minor.body["error"].get<std::string>().find("minor") != std::string::npos);
  const auto spoofed = api.post("/api/inspection/decision", {{"inspector", "sup-01"}, {"decision", "admit"}});
  CHECK(spoofed.status == 400);  // the movement names the logged-in inspector, nobody else
  CHECK(spoofed.body["error"].get<std::string>().find("logged-in account") != std::string::npos);
  const auto admitted = api.post("/api/inspection/decision",
                                 {{"decision", "admit"}, {"companion", "mother, passport COL AB1234567"}});
  REQUIRE(admitted.status == 201);
  CHECK(admitted.body["source"] == "typed");
  CHECK(admitted.body["companion"] == "mother, passport COL AB1234567");
  CHECK(api.post("/api/inspection/manual", {{"mrz", "NOT AN MRZ"}}).status == 422);
  CHECK(api.post("/api/inspection/manual", json::array()).status == 400);
}

TEST_CASE("a second entry without an exit is flagged, and the exit after it is in sequence") {
  StationPost post("sequence");
  post.start();
  auto api = post.client();
  auto record = [&](const std::string& direction) {
    REQUIRE(api.post("/api/inspection/manual", {{"mrz", typed_td3(5)}, {"direction", direction}}).status == 200);
    const auto now = api.get("/api/inspection").body;
    REQUIRE(api.post("/api/inspection/decision", {{"decision", "refer"}}).status == 201);
    return checks_by_id(now)["movement.sequence"];
  };
  CHECK(record("entry") == "pass");
  CHECK(record("entry") == "warn");
  CHECK(record("exit") == "pass");
}

TEST_CASE("a page without an MRZ asks for manual entry, and the data page typed in is recorded as typed") {
  StationPost post("no-mrz");
  post.add_sample("01-blank", BORDERPOST_DATA "/fuzz-images/gray-32x24.png");
  post.start();
  auto api = post.client();
  REQUIRE(api.post("/api/simulator/place", {{"sample", "01-blank"}}).status == 202);
  const auto inspection = api.wait_for_inspection(0);
  CHECK(inspection["state"] == "no-mrz");
  CHECK(inspection["message"].get<std::string>().find("Type the MRZ") != std::string::npos);
  CHECK(api.post("/api/inspection/decision", {{"decision", "admit"}}).status == 409);
  const auto typed = api.post("/api/inspection/manual", {{"viz",
                                                          {{"layout", "TD3"}, {"issuing_state", "ECU"}, {"surname", "Guamán Pérez"},
                                                           {"given_names", "José"}, {"document_number", "A7788990"},
                                                           {"nationality", "ECU"}, {"sex", "M"}, {"birth_date", "1975-06-01"},
                                                           {"expiry_date", "2030-06-01"}}}});
  INFO(typed.body.dump());
  REQUIRE(typed.status == 200);
  CHECK(typed.body["source"] == "viz-typed");
  CHECK(typed.body["document"]["surname"] == "GUAMAN PEREZ");
  const auto decided = api.post("/api/inspection/decision", {{"decision", "admit"}});
  REQUIRE(decided.status == 201);
  CHECK(decided.body["source"] == "viz-typed");
}

TEST_CASE("a corrupt page image gives a clear message and the post keeps working") {
  StationPost post("corrupt");
  post.add_sample_bytes("01-corrupt", "white.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(200, 'x'));
  post.add_passport_sample("02-passport");
  post.start();
  auto api = post.client();
  REQUIRE(api.post("/api/simulator/place", {{"sample", "01-corrupt"}}).status == 202);
  const auto bad = api.wait_for_inspection(0);
  CHECK(bad["state"] == "unusable");
  CHECK(bad["message"].get<std::string>().find("unusable") != std::string::npos);
  REQUIRE(api.post("/api/simulator/remove", json::object()).status == 202);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(api.post("/api/simulator/place", {{"sample", "02-passport"}}).status == 202);
  CHECK(api.wait_for_inspection(bad["id"].get<std::uint64_t>())["state"] == "inspected");
}

TEST_CASE("a reader unplugged mid-scan interrupts the inspection, and scanning resumes when it is back") {
  StationPost post("unplug");
  auto api = post.start_with_passport();
  EventFeed events(post.port, api.cookie());
  place_and_wait(api, events);
  REQUIRE(api.post("/api/simulator/unplug", json::object()).status == 202);  // before the 350 ms capture
  const auto interrupted = events.wait_for("inspection-interrupted", std::chrono::seconds(10));
  REQUIRE(interrupted);
  CHECK((*interrupted)["inspection"]["message"].get<std::string>().find("disconnected") != std::string::npos);
  const auto device = events.wait_for("device", std::chrono::seconds(10));
  REQUIRE(device);
  CHECK((*device)["reader"]["connected"] == false);
  CHECK(api.get("/api/status").body["reader"]["connected"] == false);
  CHECK(api.post("/api/simulator/place", {{"sample", "01-passport"}}).status == 409);
  REQUIRE(api.post("/api/simulator/plug", json::object()).status == 202);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(api.post("/api/simulator/place", {{"sample", "01-passport"}}).status == 202);
  CHECK(api.wait_for_inspection((*interrupted)["inspection"]["id"].get<std::uint64_t>())["state"] == "inspected");
}

TEST_CASE("a full disk refuses the decision with a clear message, keeps nothing of it, and the daemon keeps running") {
  StationPost post("full", "[store]\nmax_size_mb = 1\n");
  post.start();
  auto api = post.client();
  int recorded = 0;
  ApiAnswer refused;
  for (int i = 0; i < 2000; ++i) {
    REQUIRE(api.post("/api/inspection/manual", {{"mrz", typed_td3(i)}}).status == 200);
    const auto answer = api.post("/api/inspection/decision", {{"decision", "refer"}, {"note", std::string(1900, 'n')}});
    if (answer.status == 201) {
      ++recorded;
      continue;
    }
    refused = answer;
    break;
  }
  REQUIRE(refused.status == 507);
  CHECK(refused.body["error"].get<std::string>().find("disk is full") != std::string::npos);
  CHECK(refused.body["error"].get<std::string>().find("NOT recorded") != std::string::npos);
  const auto status = api.get("/api/status");
  REQUIRE(status.status == 200);
  CHECK(status.body["movements"] == recorded);
  CHECK(status.body["sync"]["last_seq"] == recorded);
  CHECK(api.get("/api/inspection").body["state"] == "inspected");  // still waiting for a decision
  const auto check = run_process(kBorderpostBin, {"db", "check", "--db", post.db_path()});
  INFO(check.out);
  CHECK(check.exit_code == 0);
}

namespace {

// Every file under `dir` with its size and modification time: what "nothing was written" compares.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> tree_state(const fs::path& dir) {
  std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> state;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    state[entry.path().string()] = {entry.is_regular_file() ? entry.file_size() : 0, entry.last_write_time()};
  return state;
}

}  // namespace

TEST_CASE("a read-only data directory: the post reads documents and shows its records, refuses decisions clearly, writes nothing") {
  StationPost post("read-only");
  post.add_passport_sample();
  post.start();
  {
    auto api = post.client();
    REQUIRE(api.post("/api/inspection/manual", {{"mrz", typed_td3(1)}}).status == 200);
    REQUIRE(api.post("/api/inspection/decision", {{"decision", "admit"}}).status == 201);
  }
  REQUIRE(post.process->stop() == 0);
  const auto data = fs::absolute(post.dir / "data");
  const auto before = tree_state(data);

  // The disk as the kernel leaves it after errors: the same directory, mounted read-only (in a
  // mount namespace of the daemon's own, so nothing outside changes).
  std::vector<std::string> args;
  if (::geteuid() != 0) args.push_back("--map-root-user");
  for (std::string a : {"--mount", "/bin/sh", "-c", "mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" && exec \"$1\" --config \"$2\""})
    args.push_back(a);
  for (const auto& a : {data.string(), kStationBin, post.config_path()}) args.push_back(a);
  post.process = std::make_unique<BackgroundProcess>("/usr/bin/unshare", args, post.dir.string());
  post.port = static_cast<unsigned short>(std::stoi(post.process->wait_for_line("listening on port ")));
  CHECK(post.process->output().find("WARNING: The data directory " + data.string() + " is read-only") != std::string::npos);

  auto api = post.client();
  const auto status = api.get("/api/status");
  REQUIRE(status.status == 200);
  CHECK(status.body["store"]["writable"] == false);
  CHECK(status.body["store"]["problem"].get<std::string>().find("movements cannot be recorded") != std::string::npos);
  CHECK(status.body["store"]["problem_phrase"]["key"] == "error.store.read_only");  // for the desk, in its language
  CHECK(status.body["movements"] == 1);
  CHECK(api.get("/api/movements?date=2026-11-23").body["count"] == 1);

  REQUIRE(api.post("/api/simulator/place", {{"sample", "01-passport"}}).status == 202);
  const auto inspection = api.wait_for_inspection(0);
  REQUIRE(inspection["state"] == "inspected");
  const auto typed = api.post("/api/inspection/manual", {{"mrz", typed_td3(1)}, {"direction", "entry"}});
  REQUIRE(typed.status == 200);
  CHECK(checks_by_id(typed.body)["movement.sequence"] == "warn");  // the entry recorded before is still read
  const auto refused = api.post("/api/inspection/decision", {{"decision", "refer"}});
  CHECK(refused.status == 503);
  const auto message = refused.body["error"].get<std::string>();
  CHECK(message.find("NOT recorded") != std::string::npos);
  CHECK(message.find("read-only") != std::string::npos);
  CHECK(refused.body["phrase"]["key"] == "error.store.unavailable");
  CHECK(refused.body["phrase"]["parts"][0]["key"] == "error.store.read_only");
  CHECK(api.get("/api/inspection").body["state"] == "inspected");  // the inspector can decide once the disk is back
  CHECK(api.get("/api/status").status == 200);                    // and the daemon runs on
  const auto check = run_process(kBorderpostBin, {"db", "check", "--db", post.db_path()});
  CHECK(check.exit_code == 0);
  CHECK(post.process->stop() == 0);
  CHECK(tree_state(data) == before);
}

TEST_CASE("power cut: SIGKILL at random moments while 1,000 movements are recorded loses nothing acknowledged") {
  StationPost post("power-cut");
  post.start();
  std::mt19937 rng(20261123);
  std::set<std::string> acknowledged;
  int kills = 0, next_document = 0;
  while (acknowledged.size() < 1000 || kills < 50) {
    auto api = post.client();
    std::atomic<bool> killed{false};
    const int delay_ms = std::uniform_int_distribution<int>(0, 500)(rng);
    std::jthread killer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      post.process->kill_hard();
      killed = true;
    });
    while (!killed) {
      if (api.post("/api/inspection/manual", {{"mrz", typed_td3(next_document++)}}).status != 200) break;
      const auto answer = api.post("/api/inspection/decision", {{"decision", "admit"}});
      if (answer.status != 201) break;
      acknowledged.insert(answer.body["uuid"].get<std::string>());
    }
    killer.join();
    ++kills;
    post.start();  // the daemon restarts on the same data and carries on
  }
  auto api = post.client();
  std::set<std::string> stored;
  std::size_t rows = 0;
  for (const auto& m : all_movements(api, "2026-11-23")) {
    stored.insert(m["uuid"].get<std::string>());
    ++rows;
  }
  CHECK(rows == stored.size());  // nothing twice
  for (const auto& uuid : acknowledged) CHECK_MESSAGE(stored.contains(uuid), "acknowledged movement lost: " << uuid);
  CHECK(stored.size() <= acknowledged.size() + static_cast<std::size_t>(kills));  // at most one unacknowledged per cut
  MESSAGE(kills << " power cuts, " << acknowledged.size() << " acknowledged movements, " << stored.size() << " stored");
  post.process.reset();
  const auto check = run_process(kBorderpostBin, {"db", "check", "--db", post.db_path()});
  INFO(check.out);
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("integrity: ok") != std::string::npos);
}

TEST_CASE("a configuration mistake stops the daemon with the file, line and reason") {
  StationPost post("bad-config", "[rules]\nage_of_majority = \"eighteen\"\n");
  post.write_config();
  const auto r = run_process(kStationBin, {"--config", post.config_path()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(post.config_path() + ":17: rules.age_of_majority must be an integer") != std::string::npos);
  const auto missing = run_process(kStationBin, {"--config", (post.dir / "nowhere.toml").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nowhere.toml") != std::string::npos);
}

TEST_CASE("every sample document gives the expected read, checks and verdict, and decisions produce exactly the expected rows") {
  const auto manifest = toml::parse_file(BORDERPOST_SOURCE_DIR "/config/samples/samples.toml");
  StationPost post("samples");
  post.write_config(BORDERPOST_SOURCE_DIR "/config/samples");
  {
    // The watch-list entries the manifest expects, as the central office would have sent them.
    fs::create_directories(post.dir / "data");
    borderpost::sync::sqlite::Connection db(post.db_path());
    borderpost::sync::StationWatchlist list(db.get());
    std::vector<borderpost::sync::WatchlistChange> changes;
    for (const auto& node : *manifest["samples"].as_array()) {
      const auto* w = node.as_table()->get_as<toml::table>("watchlist");
      if (!w) continue;
      borderpost::sync::WatchlistChange c;
      c.version = changes.size() + 1;
      c.action = "add";
      c.entry.id = borderpost::sync::random_uuid();
      const auto kind = borderpost::sync::watchlist_kind_named((*w)["kind"].value_or(std::string()));
      REQUIRE(kind);
      c.entry.kind = *kind;
      c.entry.document_number = (*w)["document_number"].value_or("");
      c.entry.issuer = (*w)["issuer"].value_or("");
      c.entry.surname = (*w)["surname"].value_or("");
      c.entry.given_names = (*w)["given_names"].value_or("");
      c.entry.birth_date = (*w)["birth_date"].value_or("");
      c.entry.nationality = (*w)["nationality"].value_or("");
      c.entry.reason = (*w)["reason"].value_or("");
      changes.push_back(c);
    }
    REQUIRE(changes.size() == 2);
    list.apply(changes);
  }
  post.start();
  auto api = post.client();
  std::uint64_t last_id = 0;
  int admitted = 0, referred = 0;
  for (const auto& node : *manifest["samples"].as_array()) {
    const auto& sample = *node.as_table();
    const std::string name = sample["name"].value_or("");
    CAPTURE(name);
    REQUIRE(api.post("/api/simulator/place", {{"sample", name}}).status == 202);
    const auto inspection = api.wait_for_inspection(last_id);
    last_id = inspection["id"].get<std::uint64_t>();
    const std::string expected_read = sample["read"].value_or("");
    if (expected_read == "not-found") {
      CHECK(inspection["state"] == "no-mrz");
    } else {
      REQUIRE(inspection["state"] == "inspected");
      std::string read_status = inspection["read"]["status"];
      std::replace(read_status.begin(), read_status.end(), '_', '-');
      CHECK(read_status == expected_read);
      std::vector<std::string> lines;
      for (const auto& l : *sample["mrz"].as_array()) lines.push_back(l.value_or(""));
      CHECK(inspection["document"]["lines"].get<std::vector<std::string>>() == lines);
      const auto checks = checks_by_id(inspection);
      bool all_pass = true;
      for (const auto& entry_id : *sample["checks"].as_table()) {  // named, not bound: clang 14 lambdas cannot capture bindings
        const auto& id = entry_id.first;
        const auto& status = entry_id.second;
        CAPTURE(id.str());
        CHECK(checks[std::string(id.str())] == status.value_or(""));
      }
      for (const auto& [id, status] : checks.items()) all_pass = all_pass && (status == "pass" || status == "not-run");
      CHECK((inspection["verdict"]["overall"] == "pass") == all_pass);
      // A cautious inspector: admit when every check passes, refer to the second line otherwise.
      const std::string decision = all_pass ? "admit" : "refer";
      REQUIRE(api.post("/api/inspection/decision", {{"decision", decision}}).status == 201);
      (all_pass ? admitted : referred)++;
    }
    REQUIRE(api.post("/api/simulator/remove", json::object()).status == 202);
  }
  CHECK(admitted == 5);  // the five valid documents of every layout
  CHECK(referred == 10);  // expired, expiring soon, minor, stolen, watch-listed person, wrong check digit, four forgeries
  const auto day = api.get("/api/movements?date=2026-11-23");
  REQUIRE(day.body["count"] == admitted + referred);
  int alerts = 0;
  for (const auto& m : day.body["movements"]) alerts += m["alerts"].get<int>();
  CHECK(alerts >= 3);  // minor, stolen document, watch-listed person
}

TEST_CASE("the post's own [rules.security] tolerances judge the pages at the desk") {
  // A post whose ultraviolet lamp is so strong that every page looks bright: it allows any brightness.
  StationPost post("security-rules", "[rules.security]\nuv_max_brightness = 1.0\n");
  post.write_config(BORDERPOST_SOURCE_DIR "/config/samples");
  post.start();
  auto desk = post.client();
  REQUIRE(desk.post("/api/simulator/place", {{"sample", "14-passport-colour-photocopy-venezuela"}}).status == 202);
  const auto inspection = desk.wait_for_inspection(0, 30000);
  REQUIRE(inspection["state"] == "inspected");
  const auto checks = checks_by_id(inspection);
  CHECK(checks["security.uv_dull"] == "pass");  // fails with the default 0.45 (samples.toml)
  CHECK(checks["security.ir_mrz"] == "fail");   // the other tolerances are the defaults still
}

TEST_CASE("accounts are made from the command line, passwords only from standard input and only as hashes") {
  StationPost post("users");
  post.write_config();
  auto users = [&](std::vector<std::string> args, const std::string& input = {}) {
    args.insert(args.begin() + 1, {"--config", post.config_path()});
    args.insert(args.begin(), "users");
    return run_process(kBorderpostBin, args, input);
  };
  CHECK(users({"list"}).err.find("add an account first") != std::string::npos);  // nothing made by looking
  const auto admin = users({"add", "--id", "admin", "--name", "Rosa Quispe", "--role", "administrator"}, "a long passphrase\n");
  INFO(admin.err);
  REQUIRE(admin.exit_code == 0);
  CHECK(admin.out == "account admin (administrator) created\n");
  CHECK(fs::exists(post.db_path()));  // the first administrator comes before the station's first run
  REQUIRE(users({"add", "--id", "insp-07", "--name", "Ana Ramírez", "--role", "inspector", "--language", "pt"}, "another passphrase\n")
              .exit_code == 0);
  const auto taken = users({"add", "--id", "insp-07", "--name", "X", "--role", "inspector"}, "another passphrase\n");
  CHECK(taken.exit_code == 1);
  CHECK(taken.err.find("taken") != std::string::npos);
  const auto weak = users({"add", "--id", "insp-08", "--name", "X", "--role", "inspector"}, "short\n");
  CHECK(weak.exit_code == 1);
  CHECK(weak.err.find("at least 10 characters") != std::string::npos);
  CHECK(users({"add", "--id", "insp-08", "--name", "X", "--role", "root"}, "another passphrase\n").exit_code != 0);
  CHECK(users({"add", "--id", "insp-08", "--name", "X", "--role", "inspector"}).err.find("no password on standard input") !=
        std::string::npos);
  REQUIRE(users({"disable", "insp-07"}).exit_code == 0);
  CHECK(users({"passwd", "nobody"}, "a long passphrase\n").err.find("no account nobody") != std::string::npos);
  REQUIRE(users({"passwd", "admin"}, "a newer passphrase\n").exit_code == 0);

  const auto listed = users({"list", "--json"});
  REQUIRE(listed.exit_code == 0);
  const auto accounts = json::parse(listed.out);
  REQUIRE(accounts.size() == 2);
  CHECK(accounts[0]["id"] == "admin");
  CHECK(accounts[0]["role"] == "administrator");
  CHECK(accounts[1]["language"] == "pt");
  CHECK(accounts[1]["disabled"] == true);
  CHECK(listed.out.find("password") == std::string::npos);

  borderpost::sync::sqlite::Connection db(post.db_path());
  borderpost::sync::sqlite::Statement audit(db.get(), "SELECT action || ' ' || subject FROM audit ORDER BY id");
  std::vector<std::string> trail;
  while (audit.step()) trail.push_back(audit.text(0));
  CHECK(trail == std::vector<std::string>{"account.added admin", "account.added insp-07", "account.disabled insp-07",
                                          "account.password-set admin"});
  borderpost::sync::sqlite::Statement hashes(db.get(), "SELECT password FROM accounts");
  while (hashes.step()) CHECK(hashes.text(0).rfind("$argon2id$v=19$m=256,t=1,p=1$", 0) == 0);  // the configuration's cost
  std::ifstream file(post.db_path(), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(bytes.find("passphrase") == std::string::npos);
}

namespace {

// A POST with a session cookie and no CSRF header, as a forged cross-site form would send it.
// A POST as another web site's form or script in the inspector's browser could send it.
int raw_post(unsigned short port, const std::string& target, const std::string& cookie, const std::string& body,
             const std::string& content_type = "application/x-www-form-urlencoded", const std::string& origin = "") {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  asio::io_context io;
  boost::beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::resolver(io).resolve("127.0.0.1", std::to_string(port)));
  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!cookie.empty()) request.set(http::field::cookie, cookie);
  request.set(http::field::content_type, content_type);
  if (!origin.empty()) request.set(http::field::origin, origin);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return static_cast<int>(response.result_int());
}

}  // namespace

TEST_CASE("the API needs a logged-in person: sessions, CSRF, lock-out, roles, and the audit of who saw what") {
  StationPost post("auth");
  post.start();
  StationClient anonymous(post.port);
  CHECK(anonymous.get("/api/status").status == 401);
  CHECK(anonymous.get("/api/inspection").status == 401);
  CHECK(anonymous.post("/api/inspection/manual", {{"mrz", typed_td3(1)}}).status == 401);
  CHECK_THROWS(EventFeed(post.port, ""));  // the event feed carries personal data too
  CHECK(anonymous.login(kInspector, "not the password").status == 401);
  const auto unknown = anonymous.login("nobody", "not the password");
  CHECK(unknown.status == 401);
  CHECK(unknown.body["error"] == "wrong account or password");  // the same answer: ids are not revealed

  auto inspector = post.client();
  const auto me = inspector.get("/api/session");
  REQUIRE(me.status == 200);
  CHECK(me.body["account"] == kInspector);
  CHECK(me.body["role"] == "inspector");
  CHECK(inspector.cookie().rfind("bp_session=", 0) == 0);
  // A change with the cookie but without the CSRF header: what another site's form could send.
  CHECK(raw_post(post.port, "/api/inspection/manual", inspector.cookie(), json{{"mrz", typed_td3(2)}}.dump()) == 403);
  // The session cookie is out of reach of scripts, other sites' requests and plain-text links.
  const auto login = StationClient(post.port).login(kInspector, kTestPassword);
  CHECK(login.set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(login.set_cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(login.set_cookie.find("Secure") != std::string::npos);
  // The simulated reader needs no log-in, but another site cannot put a traveller on the desk.
  const std::string place = json{{"sample", "01-passport"}}.dump();
  CHECK(raw_post(post.port, "/api/simulator/place", "", place) == 403);
  CHECK(raw_post(post.port, "/api/simulator/place", "", place, "text/plain") == 403);
  CHECK(raw_post(post.port, "/api/simulator/place", "", place, "application/json", "http://evil.example") == 403);
  CHECK(raw_post(post.port, "/api/simulator/place", "", json{{"sample", "no-such-sample"}}.dump(), "application/json",
                 "http://127.0.0.1") == 404);  // its own pages' origin: taken (and this sample does not exist)
  REQUIRE(inspector.post("/api/inspection/manual", {{"mrz", typed_td3(3)}}).status == 200);
  CHECK(inspector.get("/api/inspection").status == 200);  // seen again: still one audit entry (below)
  const auto decided = inspector.post("/api/inspection/decision", {{"decision", "admit"}});
  REQUIRE(decided.status == 201);
  CHECK(decided.body["inspector"] == kInspector);  // from the session, not from the request

  // Inspectors see today's movements; other days and ranges are for supervisors.
  CHECK(inspector.get("/api/movements?date=2026-11-23").status == 200);
  CHECK(inspector.get("/api/movements?date=2026-11-22").status == 403);
  CHECK(inspector.get("/api/movements?from=2026-11-01&to=2026-11-23").status == 403);
  CHECK(inspector.get("/api/movements/" + decided.body["uuid"].get<std::string>()).status == 200);
  auto supervisor = post.client(kSupervisor);
  CHECK(supervisor.get("/api/movements?from=2026-11-01&to=2026-11-23").body["total"] == 1);
  // Exports are for supervisors, and audited.
  CHECK(inspector.get("/api/movements/export?from=2026-11-23&to=2026-11-23").status == 403);
  const auto exported = supervisor.get("/api/movements/export?from=2026-11-01&to=2026-11-30");
  REQUIRE(exported.status == 200);
  CHECK(exported.text.rfind("local_date,local_time,direction,decision,", 0) == 0);
  CHECK(exported.text.find(",admit,,insp-07,typed,") != std::string::npos);
  CHECK(supervisor.get("/api/movements/export?from=2026-11-30&to=2026-11-01").status == 400);
  CHECK(supervisor.get("/api/movements/export?from=2020-01-01&to=2026-11-30").status == 400);

  // Five wrong passwords lock the account; the right one is refused until the lock ends.
  StationClient guesser(post.port);
  for (int i = 0; i < 4; ++i) CHECK(guesser.login(kSupervisor, "a wrong guess").status == 401);
  CHECK(guesser.login(kSupervisor, "a wrong guess").status == 429);
  const auto locked = guesser.login(kSupervisor, kTestPassword);
  CHECK(locked.status == 429);
  CHECK(locked.body["error"].get<std::string>().find("locked") != std::string::npos);

  // Disabling an account ends its open sessions at the next request.
  const auto disabled = run_process(kBorderpostBin, {"users", "disable", "--config", post.config_path(), kInspector});
  REQUIRE_MESSAGE(disabled.exit_code == 0, disabled.err);
  CHECK(inspector.get("/api/status").status == 401);
  CHECK(StationClient(post.port).login(kInspector, kTestPassword).status == 403);

  post.process->stop();
  borderpost::sync::sqlite::Connection db(post.db_path());
  borderpost::sync::sqlite::Statement audit(db.get(), "SELECT actor, action FROM audit WHERE action LIKE 'session.%' OR action LIKE 'movement%' OR action LIKE 'inspection.%'");
  std::multiset<std::string> trail;
  while (audit.step()) trail.insert(audit.text(0) + " " + audit.text(1));
  CHECK(trail.count("insp-07 session.opened") == 2);  // the desk's, and the cookie's check
  CHECK(trail.count("sup-01 session.opened") == 1);
  CHECK(trail.count("sup-01 session.refused") == 6);
  CHECK(trail.count("insp-07 movement.recorded") == 1);
  CHECK(trail.count("insp-07 movement.viewed") == 1);
  CHECK(trail.count("insp-07 inspection.viewed") == 1);  // the traveller at the desk, once per person
  CHECK(trail.count("sup-01 inspection.viewed") == 0);   // the supervisor never looked at the desk
  CHECK(trail.count("insp-07 movements.listed") == 1);
  CHECK(trail.count("sup-01 movements.listed") == 1);
  CHECK(trail.count("sup-01 movements.exported") == 1);
}

TEST_CASE("an inspector sees today's movements only, also when asking for one by its id") {
  StationPost post("other-day");
  post.pinned_date = "2026-11-22";
  post.start();
  std::string yesterdays;
  {
    auto inspector = post.client();
    REQUIRE(inspector.post("/api/inspection/manual", {{"mrz", typed_td3(4)}}).status == 200);
    const auto decided = inspector.post("/api/inspection/decision", {{"decision", "admit"}});
    REQUIRE(decided.status == 201);
    yesterdays = decided.body["uuid"].get<std::string>();
    CHECK(inspector.get("/api/movements/" + yesterdays).status == 200);  // on its own day
  }
  REQUIRE(post.process->stop() == 0);
  post.pinned_date = "2026-11-23";
  post.write_config();
  post.start();
  auto inspector = post.client();
  const auto refused = inspector.get("/api/movements/" + yesterdays);
  CHECK(refused.status == 404);
  CHECK(refused.body["phrase"]["key"] == "error.movement.not_found");
  CHECK(inspector.get("/api/movements/" + yesterdays + "/images/white").body["phrase"]["key"] == "error.movement.not_found");
  CHECK(post.client(kSupervisor).get("/api/movements/" + yesterdays).status == 200);
}

TEST_CASE("logging out ends the session and clears the cookie") {
  StationPost post("logout");
  post.start();
  auto inspector = post.client();
  const auto out = inspector.request("DELETE", "/api/session", "");
  CHECK(out.status == 200);
  CHECK(out.set_cookie.find("Max-Age=0") != std::string::npos);
  CHECK(inspector.get("/api/status").status == 401);
}

TEST_CASE("a desk left open locks after the idle time: its polling does not count, its event feed is cut, the password opens it again") {
  StationPost post("idle-lock", "session_idle_minutes = 1\n");  // appended to [accounts]
  auto desk = post.start_with_passport();
  EventFeed events(post.port, desk.cookie());
  place_and_wait(desk, events);  // the feed works while the session does
  REQUIRE(desk.wait_for_inspection(0)["state"] == "inspected");
  // The page polls its status every few seconds, as the desk does, while nobody touches it: for
  // most of the minute it is answered, and once the minute is up it finds the session locked.
  const auto idle_from = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - idle_from < std::chrono::seconds(50)) {
    REQUIRE(desk.poll("/api/status").status == 200);
    std::this_thread::sleep_for(std::chrono::seconds(5));
  }
  std::this_thread::sleep_for(std::chrono::seconds(62) - (std::chrono::steady_clock::now() - idle_from));
  CHECK(desk.poll("/api/status").status == 423);
  CHECK(desk.get("/api/inspection").status == 423);  // the traveller is not shown to whoever passes by
  // The next event is not sent to the locked session's page: its feed is closed instead.
  // A colleague who has just logged in gets it, so the event was sent.
  const auto colleague = post.client(kSupervisor);
  EventFeed colleague_events(post.port, colleague.cookie());
  REQUIRE(desk.post("/api/simulator/remove", json::object()).status == 202);
  CHECK(colleague_events.wait_for("document-removed", std::chrono::seconds(10)));
  CHECK_FALSE(events.wait_for("document-removed", std::chrono::seconds(2)));
  CHECK(desk.get("/api/session").body["locked"] == true);
  REQUIRE(desk.post("/api/session/unlock", {{"password", kTestPassword}}).status == 200);
  CHECK(desk.get("/api/inspection").status == 200);
}
