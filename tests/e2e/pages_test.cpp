// The pages in a real browser (headless Chromium through ChromeDriver) against the real daemon:
// an inspector logs in, a document placed on the simulated reader shows its checks, the language
// changes, the inspector admits from the keyboard; the supervisor's log shows the movement.
#include <doctest/doctest.h>

#include "station_support.hpp"
#include "sync/sqlite.hpp"
#include "sync/watchlist.hpp"
#include "webdriver.hpp"

using namespace borderpost::test;
using nlohmann::json;

TEST_CASE("an inspector logs in, sees the checks of a placed passport, switches language and admits from the keyboard") {
  StationPost post("pages");
  post.write_config(BORDERPOST_SOURCE_DIR "/config/samples");
  post.start();
  const std::string site = "http://127.0.0.1:" + std::to_string(post.port) + "/";
  const fs::path shots = BORDERPOST_BINARY_DIR "/screenshots";
  fs::create_directories(shots);
  Browser browser(post.dir.string());

  browser.go(site);
  browser.wait_for_text("#login-button", "");
  browser.click("#language option[value=es]");
  const auto button = browser.wait_for_text("#login-button", "Ingresar");
  CHECK_MESSAGE(button.find("Ingresar") != std::string::npos, button << " / " << browser.attribute("#language", "value"));
  browser.type("#account", kInspector);
  browser.type("#password", "not the password");
  browser.click("#login-button");
  CHECK(browser.wait_for_text("#login-error", "incorrecta").find("Cuenta o contraseña incorrecta") != std::string::npos);
  browser.type("#password", kTestPassword);
  browser.click("#login-button");
  REQUIRE(browser.wait_for_text("#who", kInspector).find("Ana Ramírez") != std::string::npos);
  CHECK(browser.url().find("desk.html") != std::string::npos);
  CHECK(browser.wait_for_text("#reader-state", "Lector conectado").find("Lector conectado") != std::string::npos);

  StationClient desk_hardware(post.port);  // the simulated reader: the document goes on the glass
  REQUIRE(desk_hardware.post("/api/simulator/place", {{"sample", "01-passport-peru"}}).status == 202);
  REQUIRE(browser.wait_for_text("#verdict-headline", "Todo en orden").find("Todo en orden") != std::string::npos);
  const auto checks = browser.text("#checks");
  CHECK(checks.find("ZLM y dígitos") != std::string::npos);
  CHECK(checks.find("FALLA") == std::string::npos);
  CHECK(browser.text("#fields").find("QUISPE MAMANI") != std::string::npos);
  browser.save_screenshot((shots / "inspector-desk.png").string());

  browser.click("#language option[value=en]");
  CHECK(browser.wait_for_text("#verdict-headline", "All checks pass").find("All checks pass") != std::string::npos);
  CHECK(browser.text("#checks").find("MRZ and check digits") != std::string::npos);

  browser.press("a");  // admit
  CHECK(browser.wait_for_text("#recorded", "Movement 1 recorded").find("Admit") != std::string::npos);
  const auto supervisor = post.client(kSupervisor);
  const auto day = supervisor.get("/api/movements?date=2026-11-23");
  REQUIRE(day.body["count"] == 1);
  CHECK(day.body["movements"][0]["inspector"] == kInspector);
  CHECK(day.body["movements"][0]["decision"] == "admit");
  CHECK(post.client().get("/api/session").body["language"] == "en");  // kept with the account

  browser.click("#logout");
  browser.wait_for_text("#login-button", "Log in");
  browser.type("#account", kSupervisor);
  browser.type("#password", kTestPassword);
  browser.click("#login-button");
  REQUIRE(browser.wait_for_text("#count", "1").find("1 movimientos") != std::string::npos);
  CHECK(browser.url().find("office.html") != std::string::npos);
  const auto log = browser.text("#movements");
  CHECK(log.find("QUISPE MAMANI") != std::string::npos);
  CHECK(log.find(kInspector) != std::string::npos);
  browser.save_screenshot((shots / "supervisor-office.png").string());
}

TEST_CASE("a stolen passport raises an alert the inspector cannot miss, and an inspector is refused the supervisor's page") {
  StationPost post("pages-alert");
  post.write_config(BORDERPOST_SOURCE_DIR "/config/samples");
  {
    // The central office's watch-list as sync would have brought it: sample 09's passport, stolen.
    fs::create_directories(post.dir / "data");
    borderpost::sync::sqlite::Connection db(post.db_path());
    borderpost::sync::StationWatchlist list(db.get());
    borderpost::sync::WatchlistChange stolen;
    stolen.version = 1;
    stolen.action = "add";
    stolen.entry = {"wl-1", "document", "FX482913", "BRA", "", "", "", "", "stolen (Interpol SLTD)"};
    list.apply({stolen});
  }
  post.start();
  const std::string site = "http://127.0.0.1:" + std::to_string(post.port) + "/";
  Browser browser(post.dir.string());
  browser.go(site);
  browser.type("#account", kInspector);
  browser.type("#password", kTestPassword);
  browser.click("#login-button");
  REQUIRE(browser.wait_for_text("#who", kInspector).find(kInspector) != std::string::npos);

  REQUIRE(StationClient(post.port).post("/api/simulator/place", {{"sample", "09-passport-stolen-brazil"}}).status == 202);
  CHECK(browser.wait_for_text("#verdict-headline", "ALERTA").find("ALERTA") != std::string::npos);
  CHECK(browser.attribute("#verdict", "class").find("fail") != std::string::npos);
  CHECK(browser.text("li.alert[data-check='watchlist.document']").find("Documento buscado") != std::string::npos);
  const fs::path shots = BORDERPOST_BINARY_DIR "/screenshots";
  fs::create_directories(shots);
  browser.save_screenshot((shots / "inspector-alert.png").string());

  browser.go(site + "office.html");
  CHECK(browser.wait_for_text("#forbidden", "supervisores").find("Esta página es para supervisores") != std::string::npos);
  CHECK(browser.text("#movements").empty());
}
