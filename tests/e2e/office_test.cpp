// The supervisor's office through the daemon's API: statistics, the signed sign-off of a day, the
// audit trail, recorded images, account management, and who may use each of them.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>

#include "station_support.hpp"
#include "sync/sqlite.hpp"

using namespace borderpost::test;
using nlohmann::json;

namespace {

// Types a traveller's MRZ at the desk and decides; the movement's answer.
json record_typed(const StationClient& desk, int n, const std::string& decision, const std::string& direction = "entry",
                  const std::string& reason = "") {
  REQUIRE(desk.post("/api/inspection/manual", {{"mrz", typed_td3(n, 1980 + n)}, {"direction", direction}}).status == 200);
  json body{{"decision", decision}};
  if (!reason.empty()) body["refusal_reason"] = reason;
  const auto decided = desk.post("/api/inspection/decision", body);
  REQUIRE_MESSAGE(decided.status == 201, decided.body.dump());
  return decided.body;
}

}  // namespace

TEST_CASE("the office API: statistics, a signed day sign-off, the audit trail and recorded images, for supervisors only") {
  StationPost post("office");
  auto desk = post.start_with_passport();
  const auto reasons = desk.get("/api/refusal-reasons");
  REQUIRE(!reasons.body.empty());
  const auto reason = reasons.body[0]["code"].get<std::string>();
  record_typed(desk, 1, "admit");
  record_typed(desk, 2, "admit", "exit");
  record_typed(desk, 3, "refuse", "entry", reason);
  const auto typed_last = desk.get("/api/inspection").body["id"].get<std::uint64_t>();  // wait for the placed one, not these
  REQUIRE(desk.post("/api/simulator/place", {{"sample", "01-passport"}}).status == 202);
  const auto placed = desk.wait_for_inspection(typed_last);
  REQUIRE(placed["state"] == "inspected");
  const auto scanned = desk.post("/api/inspection/decision", {{"decision", "refer"}});
  REQUIRE(scanned.status == 201);
  const auto uuid = scanned.body["uuid"].get<std::string>();

  // Inspectors are refused all of it, by the API itself.
  CHECK(desk.get("/api/statistics").status == 403);
  CHECK(desk.get("/api/days/2026-11-23").status == 403);
  CHECK(desk.post("/api/days/2026-11-23/sign-off", json::object()).status == 403);
  CHECK(desk.get("/api/audit").status == 403);
  // ... but see today's movement images, as they see today's movements.
  CHECK(desk.get("/api/movements/" + uuid + "/images/white").status == 200);

  auto office = post.client(kSupervisor);
  const auto stats = office.get("/api/statistics?date=2026-11-23");
  REQUIRE(stats.status == 200);
  CHECK(stats.body["totals"]["total"] == 4);
  CHECK(stats.body["totals"]["entries"] == 3);
  CHECK(stats.body["totals"]["exits"] == 1);
  CHECK(stats.body["totals"]["refused"] == 1);
  CHECK(stats.body["totals"]["referred"] == 1);
  CHECK(stats.body["per_hour"].size() == 24);
  CHECK(stats.body["per_day"].size() == 1);
  CHECK(stats.body["nationality"][0] == json{{"key", "COL"}, {"count", 3}});  // the largest first
  CHECK(stats.body["refusal_reason"] == json::array({{{"key", reason}, {"count", 1}}}));
  CHECK(stats.body["age_band"].size() >= 2);
  CHECK(office.get("/api/statistics?from=2020-01-01&to=2026-11-23").status == 400);
  CHECK(office.get("/api/statistics?from=2026-11-23&to=2026-11-01").status == 400);

  // The recorded page image, audited; a light that was not captured is a clear 404.
  const auto image = office.get("/api/movements/" + uuid + "/images/white");
  REQUIRE(image.status == 200);
  CHECK(image.text.substr(0, 2) == "\xFF\xD8");
  const auto uv = office.get("/api/movements/" + uuid + "/images/uv");
  CHECK(uv.status == 404);
  CHECK(uv.body["error"] == "this movement has no uv image");

  // Signing off the day: once, signed, and marked when the day's records change afterwards.
  auto day = office.get("/api/days/2026-11-23");
  REQUIRE(day.status == 200);
  CHECK(day.body["totals"]["movements"] == 4);
  CHECK(day.body["sign_off"].is_null());
  const auto signed_off = office.post("/api/days/2026-11-23/sign-off", {{"note", "quiet morning"}});
  REQUIRE_MESSAGE(signed_off.status == 201, signed_off.body.dump());
  CHECK(signed_off.body["state"] == "intact");
  CHECK(signed_off.body["supervisor"] == kSupervisor);
  CHECK(signed_off.body["totals"]["refused"] == 1);
  CHECK(!signed_off.body["signature"].get<std::string>().empty());
  CHECK(office.post("/api/days/2026-11-23/sign-off", json::object()).status == 409);
  CHECK(office.post("/api/days/2026-11-24/sign-off", json::object()).status == 400);  // still to come (the post's date is pinned)
  day = office.get("/api/days/2026-11-23");
  CHECK(day.body["sign_off"]["state"] == "intact");
  CHECK(day.body["sign_off"]["note"] == "quiet morning");
  record_typed(desk, 4, "admit");
  day = office.get("/api/days/2026-11-23");
  CHECK(day.body["sign_off"]["state"] == "records-changed");
  CHECK(office.post("/api/days/2026-11-23/sign-off", {{"note", "after the late bus"}}).status == 201);
  CHECK(office.get("/api/days/2026-11-23").body["sign_off"]["state"] == "intact");

  // The audit trail: filters and pages, newest first.
  const auto sign_offs = office.get("/api/audit?action=day.signed-off");
  REQUIRE(sign_offs.status == 200);
  REQUIRE(sign_offs.body["count"] == 2);
  CHECK(sign_offs.body["entries"][0]["detail"].get<std::string>().find("after the late bus") != std::string::npos);
  const auto by_inspector = office.get("/api/audit?actor=" + kInspector + "&action=movement.recorded&limit=3");
  REQUIRE(by_inspector.body["count"] == 3);
  REQUIRE(by_inspector.body["next"].is_number());
  const auto older = office.get("/api/audit?actor=" + kInspector + "&action=movement.recorded&limit=3&before=" +
                                by_inspector.body["next"].dump());
  CHECK(older.body["count"] == 2);
  CHECK(older.body["next"].is_null());
  const auto viewed = office.get("/api/audit?action=movement.image-viewed");
  CHECK(viewed.body["count"] == 2);  // the inspector's view and the supervisor's
  CHECK(office.get("/api/audit?date=23-11-2026").status == 400);
  // Reading the trail is in the trail: the four readings above that were answered.
  const auto readings = office.get("/api/audit?action=audit.viewed");
  REQUIRE(readings.body["count"] == 4);
  CHECK(readings.body["entries"][0]["actor"] == kSupervisor);
  CHECK(readings.body["entries"][0]["subject"] == "action=movement.image-viewed");
}

TEST_CASE("supervisors manage inspectors' accounts through the API, administrators every account, nobody their own") {
  StationPost post("accounts-api");
  post.make_accounts();
  {
    borderpost::station::Store store(post.db_path());
    borderpost::station::Accounts(store.db(), {1, 256, 1}).add("admin-01", "Luis Paredes", borderpost::station::Role::Administrator, kTestPassword);
  }
  post.start();
  auto office = post.client(kSupervisor);
  auto desk = post.client();
  const json newcomer{{"account", "insp-08"}, {"name", "Carla Mendoza"}, {"password", "a first passphrase"}, {"language", "pt"}};
  CHECK(desk.post("/api/accounts", newcomer).status == 403);
  CHECK(desk.get("/api/accounts").status == 403);
  const auto created = office.post("/api/accounts", newcomer);
  REQUIRE_MESSAGE(created.status == 201, created.body.dump());
  CHECK(created.body["role"] == "inspector");
  CHECK(created.body["language"] == "pt");
  CHECK(office.post("/api/accounts", newcomer).status == 409);
  CHECK(office.post("/api/accounts", {{"account", "insp-09"}, {"name", "X"}, {"password", "short"}}).status == 400);
  CHECK(office.post("/api/accounts", {{"account", "bad id!"}, {"name", "X"}, {"password", "a long enough one"}}).status == 400);
  const auto promoted = office.post("/api/accounts", {{"account", "sup-02"}, {"name", "X"}, {"role", "supervisor"}, {"password", "a long enough one"}});
  CHECK(promoted.status == 403);
  const auto listed = office.get("/api/accounts");
  REQUIRE(listed.status == 200);
  CHECK(listed.body["accounts"].size() == 4);
  CHECK(listed.body.dump().find("argon2") == std::string::npos);  // hashes never leave the station
  StationClient newcomer_desk(post.port);
  REQUIRE(newcomer_desk.login("insp-08", "a first passphrase").status == 200);

  // Disabling logs them out at once; enabling lets them back in.
  CHECK(office.post("/api/accounts/insp-08/disable", json::object()).status == 200);
  CHECK(newcomer_desk.get("/api/status").status == 401);
  CHECK(StationClient(post.port).login("insp-08", "a first passphrase").status == 403);
  CHECK(office.post("/api/accounts/insp-08/enable", json::object()).status == 200);
  CHECK(newcomer_desk.login("insp-08", "a first passphrase").status == 200);

  // Locked out by wrong guesses; a new password from the supervisor lifts the lock, the old one is gone.
  StationClient guesser(post.port);
  for (int i = 0; i < 5; ++i) guesser.login("insp-08", "a wrong guess");
  CHECK(guesser.login("insp-08", "a first passphrase").status == 429);
  CHECK(office.post("/api/accounts/insp-08/password", {{"password", "short"}}).status == 400);
  const auto reset = office.post("/api/accounts/insp-08/password", {{"password", "a second passphrase"}});
  REQUIRE_MESSAGE(reset.status == 200, reset.body.dump());
  CHECK(reset.body["locked"] == false);
  CHECK(newcomer_desk.get("/api/status").status == 401);  // the old session ended with the old password
  CHECK(StationClient(post.port).login("insp-08", "a first passphrase").status == 401);
  CHECK(StationClient(post.port).login("insp-08", "a second passphrase").status == 200);

  // Nobody manages their own account here; supervisors only inspectors'; administrators anyone's.
  CHECK(office.post("/api/accounts/" + kSupervisor + "/disable", json::object()).status == 403);
  CHECK(office.post("/api/accounts/admin-01/password", {{"password", "a long enough one"}}).status == 403);
  CHECK(office.post("/api/accounts/nobody/disable", json::object()).status == 404);
  CHECK(office.post("/api/accounts/insp-08/promote", json::object()).status == 404);
  auto admin = post.client("admin-01");
  CHECK(admin.post("/api/accounts/admin-01/disable", json::object()).status == 403);
  CHECK(admin.post("/api/accounts", {{"account", "sup-02"}, {"name", "Marta Rojas"}, {"role", "supervisor"}, {"password", "a long enough one"}})
            .status == 201);
  CHECK(admin.post("/api/accounts/" + kSupervisor + "/disable", json::object()).status == 200);
  CHECK(office.get("/api/accounts").status == 401);

  post.process->stop();
  borderpost::sync::sqlite::Connection db(post.db_path());
  borderpost::sync::sqlite::Statement audit(db.get(), "SELECT actor, action, subject FROM audit WHERE action LIKE 'account.%'");
  std::multiset<std::string> trail;
  while (audit.step()) trail.insert(audit.text(0) + " " + audit.text(1) + " " + audit.text(2));
  CHECK(trail == std::multiset<std::string>{"sup-01 account.added insp-08", "sup-01 account.disabled insp-08", "sup-01 account.enabled insp-08",
                                            "sup-01 account.password-set insp-08", "admin-01 account.added sup-02",
                                            "admin-01 account.disabled sup-01"});
}

TEST_CASE("a log-in's memory-hard password check does not hold up the post: other requests are answered meanwhile") {
  StationPost post("slow-login");
  post.make_accounts();
  {
    // The daemon's default cost (64 MiB, 3 passes), where the test accounts are cheap.
    borderpost::station::Store store(post.db_path());
    borderpost::station::Accounts(store.db(), {3, 64 * 1024, 1}).add("insp-slow", "Ana Slow", borderpost::station::Role::Inspector, kTestPassword);
  }
  post.start();
  auto desk = post.client();
  std::atomic<bool> logged_in{false};
  std::jthread slow([&] {
    StationClient c(post.port);
    CHECK(c.login("insp-slow", kTestPassword).status == 200);
    logged_in = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  const auto status = desk.get("/api/status");  // one event loop: with the hash on it, this would wait
  CHECK(status.status == 200);
  CHECK_FALSE(logged_in.load());
}
