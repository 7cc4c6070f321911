// The pages' files: only files of the web directory, only the kinds pages use, strict headers.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "store/movement_csv.hpp"
#include "temp_dir.hpp"
#include "web/web_files.hpp"

using namespace borderpost::station;
namespace fs = std::filesystem;

TEST_CASE("page files are served with a strict content security policy, and nothing outside the web directory") {
  const borderpost::test::TempDir scratch("web");
  const fs::path& root = scratch.path;
  fs::create_directories(root / "web" / "i18n");
  std::ofstream(root / "web" / "index.html") << "<!doctype html><title>x</title>";
  std::ofstream(root / "web" / "i18n" / "es.json") << "{}";
  std::ofstream(root / "web" / ".secret.json") << "{}";
  std::ofstream(root / "station.toml") << "secret";
  std::ofstream(root / "web" / "notes.txt") << "text";
  const auto web = (root / "web").string();
  HttpRequest request{boost::beast::http::verb::get, "/", 11};

  const auto index = web_file(request, web, "/");
  REQUIRE(index);
  CHECK(index->body() == "<!doctype html><title>x</title>");
  CHECK(std::string((*index)[boost::beast::http::field::content_type]) == "text/html; charset=utf-8");
  const std::string csp((*index)["Content-Security-Policy"]);
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(std::string((*index)["X-Frame-Options"]) == "DENY");
  CHECK(web_file(request, web, "/i18n/es.json"));
  CHECK_FALSE(web_file(request, web, "/../station.toml"));
  CHECK_FALSE(web_file(request, web, "/i18n/../../station.toml"));
  CHECK_FALSE(web_file(request, web, "/.secret.json"));
  CHECK_FALSE(web_file(request, web, "/i18n/.secret.json"));
  CHECK_FALSE(web_file(request, web, "/notes.txt"));      // not a kind the pages use
  CHECK_FALSE(web_file(request, web, "/missing.html"));
  CHECK_FALSE(web_file(request, web, "/index.html%00"));
  CHECK_FALSE(web_file(request, "", "/"));                // a post without pages
}

TEST_CASE("CSV cells are quoted as RFC 4180 says, and a spreadsheet formula is neutralised") {
  using borderpost::station::csv_cell;
  CHECK(csv_cell("QUISPE") == "QUISPE");
  CHECK(csv_cell("a,b") == "\"a,b\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("line\nbreak") == "\"line\nbreak\"");
  CHECK(csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(csv_cell("+1") == "'+1");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(borderpost::station::movement_csv_header().rfind("local_date,local_time,direction,decision,refusal_reason,inspector,", 0) == 0);
}
