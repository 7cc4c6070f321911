// The local API answered in process, without a socket (as Beast's handle_request is tested): the
// router, the session gate, the desk's handler and its state machine, the simulator's handler.
#include <doctest/doctest.h>

#include <filesystem>
#include <optional>

#include <boost/asio/executor_work_guard.hpp>

#include "mrz/mrz.hpp"
#include "mrz_optical/read.hpp"
#include "sync/crypto.hpp"
#include "temp_dir.hpp"
#include "web/router.hpp"

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace borderpost::station;
using nlohmann::json;

constexpr PasswordCost kCheap{1, 256, 1};  // tests only
// ICAO Doc 9303 Part 4's specimen passport (an adult; long expired).
constexpr const char* kSpecimen = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

StationConfig post_config(const fs::path& dir) {
  StationConfig c;
  c.post.station_id = "TEST-01";
  c.post.default_direction = Direction::entry;
  c.post.pinned_date = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{23}};
  c.data_dir = dir.string();
  c.refusal_reasons = {{"A", "No valid travel document", {}}};
  return c;
}

// A post with every handler of the local API over one database, and no devices.
struct Post {
  borderpost::test::TempDir dir{"router"};
  StationConfig config;
  boost::asio::io_context io;
  boost::asio::thread_pool workers{1};
  Background background{io, workers};
  Said store_problem;
  std::unique_ptr<Store> store;
  borderpost::sync::SigningKey key = borderpost::sync::SigningKey::generate();
  std::unique_ptr<borderpost::sync::Outbox> outbox;
  std::unique_ptr<borderpost::sync::StationWatchlist> watchlist;
  std::unique_ptr<Accounts> accounts;
  Sessions sessions{std::chrono::minutes(10), std::chrono::minutes(600)};
  std::unique_ptr<Desk> desk;
  std::unique_ptr<OfficeApi> office;
  std::unique_ptr<AccountsApi> accounts_api;
  std::unique_ptr<SessionApi> session_api;
  std::unique_ptr<DeskApi> desk_api;
  SimulatorApi simulator{nullptr};
  std::unique_ptr<Router> router;
  std::vector<std::string> events;
  std::string cookie, csrf;

  Post() {
    config = post_config(dir.path);
    store = std::make_unique<Store>(dir / "station.db");
    outbox = std::make_unique<borderpost::sync::Outbox>(store->db(), config.post.station_id, key.share());
    watchlist = std::make_unique<borderpost::sync::StationWatchlist>(store->db());
    accounts = std::make_unique<Accounts>(store->db(), kCheap);
    accounts->add("insp-07", "Rosa Quispe", Role::Inspector, "a long passphrase", "es");
    auto audit = [this](const std::string& actor, const std::string& action, const std::string& subject, const std::string& detail) {
      store->audit(actor, action, subject, detail);
    };
    auto problem = [this]() -> const Said& { return store_problem; };
    desk = std::make_unique<Desk>(Desk::Context{config, *store, *outbox, *watchlist, store_problem, audit,
                                                [this](const char* event) { events.emplace_back(event); }, {}, {}, {}});
    office = std::make_unique<OfficeApi>(OfficeApi::Context{config, *store, key, [] { return std::string("2026-11-23"); }, problem, audit});
    accounts_api = std::make_unique<AccountsApi>(AccountsApi::Context{*accounts, sessions, problem, audit, background});
    session_api = std::make_unique<SessionApi>(SessionApi::Context{*accounts, sessions, background, 10, 15, problem, audit});
    desk_api = std::make_unique<DeskApi>(DeskApi::Context{config, *desk, background, nullptr, [](auto) {},
                                                          [] { return json{{"station", "TEST-01"}}; }, audit});
    router = std::make_unique<Router>(Router::Context{"", *session_api, *accounts_api, *desk_api, *office, simulator});
  }
  ~Post() {
    workers.join();
    router.reset();
    accounts.reset();
    watchlist.reset();
    outbox.reset();
    store.reset();
  }

  // The answer to one request, waiting on the loop for one answered later (a password check).
  HttpResponse ask(http::verb method, const std::string& target, const json& body = nullptr, bool with_csrf = true) {
    HttpRequest request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    if (!cookie.empty()) request.set(http::field::cookie, cookie);
    if (with_csrf && !csrf.empty()) request.set("X-CSRF-Token", csrf);
    if (!body.is_null()) {
      request.set(http::field::content_type, "application/json");
      request.body() = body.dump();
    }
    request.prepare_payload();
    std::optional<HttpResponse> answer;
    auto guard = boost::asio::make_work_guard(io);
    router->handle(request, [&](HttpResponse r) { answer = std::move(r); });
    while (!answer) io.run_one();
    return *answer;
  }

  void log_in() {
    const auto r = ask(http::verb::post, "/api/session", {{"account", "insp-07"}, {"password", "a long passphrase"}});
    REQUIRE(r.result() == http::status::ok);
    const auto set = std::string(r[http::field::set_cookie]);
    cookie = set.substr(0, set.find(';'));
    csrf = json::parse(r.body())["csrf"].get<std::string>();
  }
};

json body(const HttpResponse& r) { return json::parse(r.body()); }

}  // namespace

TEST_CASE("the router answers a page it does not have, and an API call without a session, with their refusals") {
  Post post;
  CHECK(post.ask(http::verb::get, "/desk.html").result() == http::status::not_found);
  const auto refused = post.ask(http::verb::get, "/api/status");
  CHECK(refused.result() == http::status::unauthorized);
  CHECK(body(refused)["phrase"]["key"] == "error.session.missing");
  CHECK(post.ask(http::verb::get, "/api/session").result() == http::status::unauthorized);
}

TEST_CASE("a logged-in inspector sees the idle desk and the post's status; a change without the CSRF token is refused") {
  Post post;
  post.log_in();
  CHECK(body(post.ask(http::verb::get, "/api/session"))["account"] == "insp-07");
  CHECK(body(post.ask(http::verb::get, "/api/inspection"))["state"] == "idle");
  CHECK(body(post.ask(http::verb::get, "/api/status"))["station"] == "TEST-01");
  const auto no_token = post.ask(http::verb::post, "/api/inspection/manual", {{"mrz", kSpecimen}}, false);
  CHECK(no_token.result() == http::status::forbidden);
  CHECK(body(no_token)["phrase"]["key"] == "error.session.csrf");
  CHECK(post.ask(http::verb::get, "/api/nothing-here").result() == http::status::not_found);
}

TEST_CASE("a typed MRZ is inspected at the desk and its decision recorded once, through the desk's handler") {
  Post post;
  post.log_in();
  const auto typed = post.ask(http::verb::post, "/api/inspection/manual", {{"mrz", kSpecimen}, {"direction", "exit"}});
  REQUIRE(typed.result() == http::status::ok);
  CHECK(body(typed)["state"] == "inspected");
  CHECK(body(typed)["direction"] == "exit");
  CHECK(body(typed)["source"] == "typed");
  CHECK(post.events.back() == "checks-done");

  CHECK(post.ask(http::verb::post, "/api/inspection/decision", {{"decision", "wave"}}).result() == http::status::bad_request);
  CHECK(post.ask(http::verb::post, "/api/inspection/decision", {{"decision", "refuse"}}).result() == http::status::bad_request);
  const auto stale = post.ask(http::verb::post, "/api/inspection/decision", {{"decision", "admit"}, {"inspection", 99}});
  CHECK(stale.result() == http::status::conflict);
  CHECK(body(stale)["phrase"]["key"] == "error.decision.stale");

  const auto decided = post.ask(http::verb::post, "/api/inspection/decision", {{"decision", "refuse"}, {"refusal_reason", "A"}});
  REQUIRE(decided.result() == http::status::created);
  CHECK(body(decided)["decision"] == "refuse");
  CHECK(body(decided)["direction"] == "exit");
  CHECK(body(decided)["inspector"] == "insp-07");
  CHECK(post.store->movement_count() == 1);
  CHECK(body(post.ask(http::verb::get, "/api/inspection"))["state"] == "decided");

  const auto again = post.ask(http::verb::post, "/api/inspection/decision", {{"decision", "admit"}});
  CHECK(again.result() == http::status::conflict);
  CHECK(body(again)["phrase"]["key"] == "error.decision.decided");
  CHECK(post.store->movement_count() == 1);
}

TEST_CASE("a decision on a read-only post is refused and nothing is recorded") {
  Post post;
  post.log_in();
  REQUIRE(post.ask(http::verb::post, "/api/inspection/manual", {{"mrz", kSpecimen}}).result() == http::status::ok);
  post.store_problem = said("The data directory is read-only.", "error.store.read_only");
  const auto refused = post.ask(http::verb::post, "/api/inspection/decision", {{"decision", "admit"}});
  CHECK(refused.result() == http::status::service_unavailable);
  CHECK(body(refused)["phrase"]["key"] == "error.store.unavailable");
  CHECK(post.store->movement_count() == 0);
}

TEST_CASE("the simulator's handler says when the post has no simulated reader") {
  Post post;
  const auto r = post.ask(http::verb::post, "/api/simulator/place", {{"sample", "x"}});
  CHECK(r.result() == http::status::not_found);
}

TEST_CASE("the desk's states follow one another only as the desk allows") {
  using S = DeskState;
  CHECK(may_enter(S::placed, S::reading));
  CHECK(may_enter(S::reading, S::inspected));
  CHECK(may_enter(S::inspected, S::decided));
  CHECK(may_enter(S::no_mrz, S::inspected));  // the inspector types the MRZ
  CHECK_FALSE(may_enter(S::decided, S::inspected));
  CHECK_FALSE(may_enter(S::placed, S::decided));
  CHECK_FALSE(may_enter(S::inspected, S::reading));
  CHECK_FALSE(may_enter(S::decided, S::placed));
  CHECK(to_string(S::no_mrz) == "no-mrz");
}

TEST_CASE("directions and decisions are words only in JSON: any other word is refused at the edge") {
  for (Decided d : {Decided::admit, Decided::refuse, Decided::refer}) CHECK(decision_named(to_string(d)) == d);
  CHECK_FALSE(decision_named("wave"));
  Post post;
  post.log_in();
  REQUIRE(post.ask(http::verb::post, "/api/inspection/manual", {{"mrz", kSpecimen}}).result() == http::status::ok);
  CHECK(post.ask(http::verb::post, "/api/inspection/direction", {{"direction", "transit"}}).result() == http::status::bad_request);
  const auto turned = post.ask(http::verb::post, "/api/inspection/direction", {{"direction", "exit"}});
  CHECK(body(turned)["direction"] == "exit");
}

TEST_CASE("an MRZ typed while the page is still being read stands when the read arrives late") {
  Post post;
  borderpost::bridge::Capture capture;
  capture.device = "scanner";
  const auto inspection = post.desk->captured(capture);
  REQUIRE(inspection->state == DeskState::reading);
  post.desk->typed(::mrz::parse(kSpecimen), MrzSource::Typed, std::nullopt);
  REQUIRE(inspection->state == DeskState::inspected);

  ::mrz::optical::ReadResult nothing;
  nothing.status = ::mrz::optical::ReadStatus::NotFound;
  post.desk->page_read(inspection, nothing);
  CHECK(inspection->state == DeskState::inspected);
  CHECK(inspection->read_status.empty());

  ::mrz::optical::ReadResult other;  // a read of another document's lines
  other.status = ::mrz::optical::ReadStatus::Valid;
  other.mrz.document = ::mrz::parse(
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10");
  other.mrz.document.document_number.value = "X00000000";
  post.desk->page_read(inspection, other);
  CHECK(inspection->source == MrzSource::Typed);
  CHECK(inspection->document->document_number.value == "L898902C3");
}
