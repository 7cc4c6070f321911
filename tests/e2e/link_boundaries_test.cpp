// What the build promises about the post's program: it does not link the central office's
// PostgreSQL client. Read from the program's own dynamic section (readelf), as the loader sees it.
#include <doctest/doctest.h>

#include <string>

#include "process.hpp"

namespace {

std::string needed_libraries(const std::string& program) {
  const auto r = borderpost::test::run_process("/usr/bin/readelf", {"--dynamic", program});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r.out;
}

}  // namespace

TEST_CASE("the station program links neither libpq nor libpqxx; the central office links both") {
  const auto station = needed_libraries(BORDERPOST_STATION_BIN);
  CHECK(station.find("libsqlite3") != std::string::npos);  // the section was read
  CHECK(station.find("libpq") == std::string::npos);
  const auto central = needed_libraries(BORDERPOST_CENTRAL_BIN);
  CHECK(central.find("libpqxx") != std::string::npos);
}
