// The watch-list's wire format and the post's local copy.
#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "sync/sqlite.hpp"
#include "sync/station_watchlist.hpp"

using namespace borderpost::sync;
using namespace borderpost::sync::testing;

namespace {

WatchlistEntry stolen(const std::string& id, const std::string& number, const std::string& issuer = "") {
  return {id, WatchlistKind::Document, number, issuer, "", "", "", "", "reported stolen"};
}

WatchlistEntry person(const std::string& id) {
  return {id, WatchlistKind::Person, "", "", "QUISPE MAMANI", "ANA", "1990-02-03", "PER", "court order 12/2026"};
}

}  // namespace

TEST_CASE("a watch-list page survives the wire and malformed pages are refused with a reason") {
  const WatchlistPage page{{{1, "add", stolen("a", "L898902C3", "UTO")}, {2, "add", person("b")}, {3, "remove", watchlist_removal("a", WatchlistKind::Document)}}, 3};
  std::string error;
  const auto back = decode_watchlist_page(encode_watchlist_page(page), error);
  REQUIRE(back);
  REQUIRE(back->changes.size() == 3);
  CHECK(back->latest == 3);
  CHECK(back->changes[0].entry.issuer == "UTO");
  CHECK(back->changes[1].entry.birth_date == "1990-02-03");
  CHECK(back->changes[2].action == "remove");

  auto refused = [](const std::string& body) {
    std::string why;
    const bool ok = decode_watchlist_page(body, why).has_value();
    CHECK_FALSE(why.empty());
    return !ok;
  };
  CHECK(refused("not json"));
  CHECK(refused(R"({"latest":1})"));
  auto text = encode_watchlist_page(page);
  CHECK(refused(text.replace(text.find("\"version\":2"), 11, "\"version\":1")));  // versions must increase
  CHECK(refused(encode_watchlist_page({{{5, "add", stolen("a", "X1")}}, 4})));    // beyond latest
  CHECK(refused(encode_watchlist_page({{{1, "add", stolen("a", "l898")}}, 1})));  // lower case number
  CHECK(refused(encode_watchlist_page({{{1, "erase", stolen("a", "X1")}}, 1})));
  auto vehicle = encode_watchlist_page({{{1, "add", person("a")}}, 1});
  CHECK(refused(vehicle.replace(vehicle.find("\"person\""), 8, "\"vehicle\"")));  // kinds are document and person only
}

TEST_CASE("a watch-list kind is a word only on the wire and in the tables") {
  CHECK(to_string(WatchlistKind::Document) == "document");
  CHECK(watchlist_kind_named("person") == WatchlistKind::Person);
  CHECK_FALSE(watchlist_kind_named("Person"));
  const auto columns = watchlist_columns(stolen("a", "X1", "UTO"));
  CHECK(columns[1] == "document");
  CHECK(watchlist_entry_from(columns).document_number == "X1");
  auto damaged = columns;
  damaged[1] = "vehicle";
  CHECK_THROWS_AS(watchlist_entry_from(damaged), std::invalid_argument);
}

TEST_CASE("the since parameter is read strictly") {
  CHECK(watchlist_since("/v1/watchlist?since=42") == 42U);
  CHECK(watchlist_since("/v1/watchlist") == 0U);
  CHECK_FALSE(watchlist_since("/v1/watchlist?since=").has_value());
  CHECK_FALSE(watchlist_since("/v1/watchlist?since=4x").has_value());
  CHECK_FALSE(watchlist_since("/v1/watchlist?since=-1").has_value());
  CHECK_FALSE(watchlist_since("/v1/watchlistX").has_value());
}

TEST_CASE("the post applies a pull in one transaction and finds listed documents by number and issuer") {
  TempDir dir;
  sqlite::Connection db(dir / "station.db");
  StationWatchlist watchlist(db.get());
  CHECK(watchlist.version() == 0);
  watchlist.apply({{1, "add", stolen("a", "L898902C3", "UTO")}, {2, "add", stolen("b", "P1234567")}, {3, "add", person("c")}});
  CHECK(watchlist.version() == 3);
  CHECK(watchlist.size() == 3);
  CHECK(watchlist.documents("L898902C3", "UTO").size() == 1);
  CHECK(watchlist.documents("L898902C3", "PER").empty());  // listed for another issuer
  CHECK(watchlist.documents("P1234567", "PER").size() == 1);  // listed for any issuer
  REQUIRE(watchlist.persons().size() == 1);
  CHECK(watchlist.persons()[0].surname == "QUISPE MAMANI");

  // A pull whose last change is stale changes nothing at all, not even its first changes.
  CHECK_THROWS(watchlist.apply({{4, "remove", watchlist_removal("a", WatchlistKind::Document)}, {3, "add", stolen("d", "X1")}}));
  CHECK(watchlist.version() == 3);
  CHECK(watchlist.documents("L898902C3", "UTO").size() == 1);

  watchlist.apply({{4, "remove", watchlist_removal("a", WatchlistKind::Document)}});
  CHECK(watchlist.documents("L898902C3", "UTO").empty());
  CHECK(watchlist.version() == 4);
  // The copy is in the station's database: it is there after a restart, offline.
  sqlite::Connection reopened(dir / "station.db");
  CHECK(StationWatchlist(reopened.get()).size() == 2);
}
