// The pages in a real browser (headless Chromium through ChromeDriver) against the real daemon:
// an inspector logs in, a document placed on the simulated reader shows its checks, the language
// changes, the inspector admits from the keyboard; the supervisor's log shows the movement.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "station_support.hpp"
#include "sync/sqlite.hpp"
#include "sync/station_watchlist.hpp"
#include "webdriver.hpp"

using namespace borderpost::test;
using nlohmann::json;

namespace {

// Polls `done` every 100 ms until it holds or `timeout` has passed; whether it held.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

// Opens the log-in page and logs in as `account` with the test password.
void log_in(Browser& browser, const std::string& site, const std::string& account) {
  browser.go(site);
  browser.type("#account", account);
  browser.type("#password", kTestPassword);
  browser.click("#login-button");
}

}  // namespace

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
  // The reasons are in the inspector's language too, dates in the locale's order.
  CHECK_MESSAGE(checks.find("Todos los dígitos de control de la ZLM son correctos.") != std::string::npos, checks);
  const auto valid_until = checks.find("Vigente hasta el ");
  REQUIRE(valid_until != std::string::npos);
  const auto date = checks.substr(valid_until + 17, checks.find('.', valid_until) - valid_until - 17);  // "4/10/2030"
  CHECK_MESSAGE(date.find_first_not_of("0123456789/") == std::string::npos, date);
  CHECK_MESSAGE(date.rfind('/') == date.size() - 5, date);
  CHECK(browser.text("#refusal-reason").find("A: Sin documento de viaje válido") != std::string::npos);
  CHECK(browser.text("#fields").find("QUISPE MAMANI") != std::string::npos);
  CHECK(browser.text("#fields").find("Femenino") != std::string::npos);  // the MRZ's F in words
  // The page under each light the reader captured, a tab each.
  CHECK(browser.text("#light-tabs").find("IR") != std::string::npos);
  CHECK(browser.attribute("#page-image", "src").find("/api/inspection/images/white") != std::string::npos);
  browser.click("#light-tabs button:nth-child(2)");
  eventually([&] { return browser.attribute("#page-image", "src").find("/images/ir") != std::string::npos; }, std::chrono::seconds(5));
  CHECK(browser.attribute("#page-image", "src").find("/api/inspection/images/ir") != std::string::npos);
  eventually([&] { return browser.property("#page-image", "naturalWidth").get<int>() != 0; });
  CHECK(browser.property("#page-image", "naturalWidth").get<int>() > 100);
  browser.click("#light-tabs button:nth-child(1)");
  browser.save_screenshot((shots / "inspector-desk.png").string());
  // At 1366x768 the decision's buttons are on screen with a whole inspection's checks above them.
  const auto admit = browser.rect("#admit");
  const auto viewport = browser.property("html", "clientHeight").get<double>();
  CHECK_MESSAGE(admit["y"].get<double>() + admit["height"].get<double>() <= viewport, admit.dump() << " in " << viewport);

  browser.click("#language option[value=en]");
  CHECK(browser.wait_for_text("#verdict-headline", "All checks pass").find("All checks pass") != std::string::npos);
  CHECK(browser.text("#checks").find("MRZ and check digits") != std::string::npos);
  CHECK(browser.text("#checks").find("Every check digit of the MRZ is right.") != std::string::npos);

  // A typed MRZ with a wrong check digit: the problem in the inspector's words.
  browser.press("m");
  browser.type("#mrz-input", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C31UTO7408122F1204159ZE184226B<<<<<10");
  CHECK(browser.wait_for_text("#mrz-feedback", "wrong").find("The check digit of the document number is wrong (printed 1, computed 6).") !=
        std::string::npos);
  browser.click("#language option[value=pt]");
  browser.wait_for_text("#verdict-headline", "Tudo em ordem");
  browser.type("#mrz-input", " ");
  CHECK(browser.wait_for_text("#mrz-feedback", "errado").find("O dígito verificador do campo «número do documento» está errado") !=
        std::string::npos);
  browser.clear("#mrz-input");
  browser.click("#manual summary");
  browser.click("#language option[value=en]");
  browser.wait_for_text("#verdict-headline", "All checks pass");

  // X: the checks run again for an exit before the inspector decides (no entry here: ask where);
  // E: back to an entry.
  browser.press("x");
  CHECK(browser.wait_for_text("#checks", "No entry recorded at this post").find("ask where the traveller entered") != std::string::npos);
  browser.press("e");
  CHECK(browser.wait_for_text("#verdict-headline", "All checks pass").find("All checks pass") != std::string::npos);
  CHECK(browser.text("#checks").find("No entry recorded at this post") == std::string::npos);

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
  REQUIRE(browser.wait_for_text("#count", "1").find("1 movimiento") != std::string::npos);
  CHECK(browser.text("#count").find("movimientos") == std::string::npos);  // one: singular
  CHECK(browser.url().find("office.html") != std::string::npos);
  const auto log = browser.text("#movements");
  CHECK(log.find("QUISPE MAMANI") != std::string::npos);
  CHECK(log.find(kInspector) != std::string::npos);
  browser.save_screenshot((shots / "supervisor-office.png").string());
  // The export link gives the day's movements as CSV, the one just admitted among them.
  const auto exported = browser.run_async(
      "fetch(document.getElementById('export').href).then(async (r) => done({status: r.status, type: r.headers.get('Content-Type'), "
      "text: await r.text()}));");
  INFO(exported.dump());
  CHECK(exported["status"] == 200);
  CHECK(exported["type"].get<std::string>().find("text/csv") != std::string::npos);
  const auto csv = exported["text"].get<std::string>();
  CHECK(csv.rfind("local_date,local_time,direction,decision,", 0) == 0);
  CHECK(csv.find("QUISPE MAMANI") != std::string::npos);
  CHECK(csv.find(",admit,") != std::string::npos);
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
    stolen.entry = {"wl-1", borderpost::sync::WatchlistKind::Document, "FX482913", "BRA", "", "", "", "", "stolen (Interpol SLTD)"};
    list.apply({stolen});
  }
  post.start();
  const std::string site = "http://127.0.0.1:" + std::to_string(post.port) + "/";
  Browser browser(post.dir.string());
  log_in(browser, site, kInspector);
  REQUIRE(browser.wait_for_text("#who", kInspector).find(kInspector) != std::string::npos);

  REQUIRE(StationClient(post.port).post("/api/simulator/place", {{"sample", "09-passport-stolen-brazil"}}).status == 202);
  CHECK(browser.wait_for_text("#verdict-headline", "ALERTA").find("ALERTA — Documento buscado") != std::string::npos);
  CHECK(browser.text("#alerts").find("DOCUMENTO BUSCADO") != std::string::npos);
  CHECK(browser.attribute("#verdict", "class").find("fail") != std::string::npos);
  CHECK(browser.text("li.alert[data-check='watchlist.document']").find("Documento buscado") != std::string::npos);
  CHECK(browser.text("#alerts").find("El documento está en la lista de alertas: stolen (Interpol SLTD). Retenga el documento") !=
        std::string::npos);
  const fs::path shots = BORDERPOST_BINARY_DIR "/screenshots";
  fs::create_directories(shots);
  browser.save_screenshot((shots / "inspector-alert.png").string());

  // R asks for the reason first: none is chosen in advance. Arrows choose it, Enter refuses.
  browser.press("r");
  CHECK(browser.wait_for_text("#decision-error", "motivo").find("Elija el motivo del rechazo") != std::string::npos);
  CHECK(browser.text("#recorded").empty());
  browser.press_key("\uE015");  // arrow down: the first reason
  browser.press_key("\uE007");  // Enter
  CHECK(browser.wait_for_text("#recorded", "Rechaz").find("Rechaz") != std::string::npos);
  const auto movements = post.client().get("/api/movements?date=2026-11-23").body["movements"];
  REQUIRE(movements.size() == 1);
  CHECK(movements[0]["decision"] == "refuse");
  CHECK(movements[0]["refusal_reason"] == "A");

  browser.go(site + "office.html");
  CHECK(browser.wait_for_text("#forbidden", "supervisores").find("Esta página es para supervisores") != std::string::npos);
  CHECK(browser.text("#movements").empty());
  browser.go(site + "report.html?date=2026-11-23");
  CHECK(browser.wait_for_text("#report-error", "supervisores").find("supervisores") != std::string::npos);
  CHECK(browser.text("#report-movements").empty());
}

TEST_CASE("a supervisor filters the log, opens a movement, signs off the day, prints the report, reads the statistics, manages an account and the audit trail") {
  StationPost post("pages-office");
  post.write_config(BORDERPOST_SOURCE_DIR "/config/samples");
  post.start();
  // The day at the desk, through the API: a passport read and admitted, one refused, one typed exit.
  {
    auto desk = post.client();
    REQUIRE(desk.post("/api/simulator/place", {{"sample", "01-passport-peru"}}).status == 202);
    REQUIRE(desk.wait_for_inspection(0)["state"] == "inspected");
    REQUIRE(desk.post("/api/inspection/decision", {{"decision", "admit"}}).status == 201);
    REQUIRE(desk.post("/api/simulator/remove", json::object()).status == 202);
    REQUIRE(desk.post("/api/simulator/place", {{"sample", "06-passport-expired-colombia"}}).status == 202);
    REQUIRE(desk.wait_for_inspection(1)["state"] == "inspected");
    const auto reason = desk.get("/api/refusal-reasons").body[0]["code"].get<std::string>();
    REQUIRE(desk.post("/api/inspection/decision", {{"decision", "refuse"}, {"refusal_reason", reason}}).status == 201);
    REQUIRE(desk.post("/api/inspection/manual", {{"mrz", typed_td3(7)}, {"direction", "exit"}}).status == 200);
    REQUIRE(desk.post("/api/inspection/decision", {{"decision", "admit"}}).status == 201);
  }
  const std::string site = "http://127.0.0.1:" + std::to_string(post.port) + "/";
  const fs::path shots = BORDERPOST_BINARY_DIR "/screenshots";
  fs::create_directories(shots);
  Browser browser(post.dir.string());
  log_in(browser, site, kSupervisor);
  REQUIRE(browser.wait_for_text("#count", "3").find("3 movimientos") != std::string::npos);
  CHECK(browser.text("#sign-off-state").find("sin cierre") != std::string::npos);

  // Filters: refusals only, then one nationality.
  browser.click("#f-decision option[value=refuse]");
  browser.click("#show-day");
  CHECK(browser.wait_for_text("#count", "1 ").find("1 movimiento") != std::string::npos);
  CHECK(browser.text("#movements").find("Rechazar") != std::string::npos);
  browser.click("#f-decision option[value='']");
  browser.type("#f-nationality", "col");
  browser.click("#show-day");
  CHECK(browser.wait_for_text("#count", "2 ").find("2 movimientos") != std::string::npos);
  browser.clear("#f-nationality");
  browser.click("#show-day");
  REQUIRE(browser.wait_for_text("#count", "3 ").find("3 movimientos") != std::string::npos);

  // One movement: its fields, checks and recorded page image.
  browser.click("#movements tr:first-child button");
  CHECK(browser.wait_for_text("#movement-fields", "QUISPE MAMANI").find("QUISPE MAMANI") != std::string::npos);
  CHECK(browser.text("#movement-fields").find("Leída de la página") != std::string::npos);  // the source in words
  CHECK(browser.text("#movement-title").find("23/11/2026") != std::string::npos);          // the date in the locale's order
  CHECK(browser.text("#movement-checks").find("ZLM y dígitos") != std::string::npos);
  eventually([&] { return browser.property("#movement-image", "naturalWidth").get<int>() != 0; });
  CHECK(browser.property("#movement-image", "naturalWidth").get<int>() > 100);
  browser.save_screenshot((shots / "supervisor-movement.png").string());
  browser.click("#movement-close");
  eventually([&] { return !browser.property("#movement", "open").get<bool>(); }, std::chrono::seconds(5));
  REQUIRE_FALSE(browser.property("#movement", "open").get<bool>());

  // Sign off the day.
  browser.type("#sign-off-note", "sin novedad");
  browser.click("#sign-off-button");
  const auto signed_off = browser.wait_for_text("#sign-off-state", "firmado por");
  CHECK_MESSAGE(signed_off.find("firmado por " + kSupervisor) != std::string::npos, signed_off << " / " << browser.text("#sign-off-error"));
  CHECK(browser.property("#sign-off-button", "disabled").get<bool>());

  // The printable report, printed to PDF by the browser, has the day's totals and movements.
  browser.go(site + "report.html?date=2026-11-23");
  REQUIRE(browser.wait_for_text("#report-sign-off", kSupervisor).find("sin novedad") != std::string::npos);
  browser.save_screenshot((shots / "daily-report.png").string());
  const auto pdf = browser.print_pdf();
  REQUIRE(pdf.rfind("%PDF-", 0) == 0);
  const auto pdf_path = shots / "daily-report.pdf";
  std::ofstream(pdf_path, std::ios::binary) << pdf;
  const auto text = run_process("/usr/bin/pdftotext", {"-layout", pdf_path.string(), "-"});
  REQUIRE_MESSAGE(text.exit_code == 0, text.err);
  CHECK(text.out.find("Informe diario") != std::string::npos);
  CHECK(text.out.find("118452367") != std::string::npos);  // each movement, by its document
  CHECK(text.out.find("AB1000007") != std::string::npos);
  CHECK(text.out.find("Rechazados") != std::string::npos);
  CHECK(text.out.find("firmado por " + kSupervisor) != std::string::npos);

  // Statistics as charts with their numbers.
  browser.go(site + "office.html");
  browser.wait_for_text("#count", "3 ");
  browser.click("button[data-tab=stats]");
  CHECK(browser.wait_for_text("[data-total=total]", "3").find("3") != std::string::npos);
  CHECK(browser.text("[data-total=refused]").find("1") != std::string::npos);
  const auto charts = browser.text("#charts");
  CHECK(charts.find("Cruces por hora") != std::string::npos);
  CHECK(charts.find("Rechazos por motivo") != std::string::npos);
  CHECK(charts.find("COL") != std::string::npos);
  browser.save_screenshot((shots / "supervisor-statistics.png").string());

  // An inspector's account: created, then disabled, from the page.
  browser.click("button[data-tab=accounts]");
  browser.wait_for_text("#accounts", kInspector);
  browser.type("#new-account", "insp-09");
  browser.type("#new-name", "Jorge Vera");
  browser.type("#new-password", "a first passphrase");
  browser.type("#new-password-2", "a first passphrase");
  browser.click("#create-account");
  CHECK(browser.wait_for_text("#accounts-message", "insp-09").find("creada") != std::string::npos);
  CHECK(StationClient(post.port).login("insp-09", "a first passphrase").status == 200);
  // A forgotten password: the supervisor sets a new one, and only that one opens the account.
  browser.type("tr[data-account='insp-09'] form.reset input", "a second passphrase");
  browser.click("tr[data-account='insp-09'] form.reset button");
  CHECK(browser.wait_for_text("#accounts-message", "contraseña").find("Nueva contraseña de insp-09") != std::string::npos);
  CHECK(StationClient(post.port).login("insp-09", "a first passphrase").status == 401);
  CHECK(StationClient(post.port).login("insp-09", "a second passphrase").status == 200);
  browser.click("tr[data-account='insp-09'] button");
  CHECK(browser.wait_for_text("#accounts-message", "desactivada").find("insp-09") != std::string::npos);
  CHECK(StationClient(post.port).login("insp-09", "a first passphrase").status == 403);

  // The audit trail shows who did it.
  browser.click("button[data-tab=audit]");
  const auto trail = browser.wait_for_text("#audit", "Cuenta desactivada");  // the actions in words
  CHECK(trail.find("Cuenta creada") != std::string::npos);
  CHECK(trail.find("Día cerrado y firmado") != std::string::npos);
  CHECK(trail.find("Imagen de movimiento vista") != std::string::npos);
  CHECK(trail.find("account.added") == std::string::npos);

  // The office in French.
  browser.click("#language option[value=fr]");
  CHECK(browser.wait_for_text("button[data-tab=stats]", "Statistiques").find("Statistiques") != std::string::npos);
}

TEST_CASE("a desk left alone locks: the traveller is covered until the inspector's password opens it again") {
  StationPost post("pages-lock", "session_idle_minutes = 1\n");  // appended to [accounts]
  post.write_config(BORDERPOST_SOURCE_DIR "/config/samples");
  post.start();
  const std::string site = "http://127.0.0.1:" + std::to_string(post.port) + "/";
  Browser browser(post.dir.string());
  log_in(browser, site, kInspector);
  REQUIRE(browser.wait_for_text("#who", kInspector).find(kInspector) != std::string::npos);
  REQUIRE(StationClient(post.port).post("/api/simulator/place", {{"sample", "01-passport-peru"}}).status == 202);
  REQUIRE(browser.wait_for_text("#verdict-headline", "Todo en orden").find("Todo en orden") != std::string::npos);
  CHECK(browser.property("#lock", "hidden").get<bool>());
  // Nobody touches the desk: its own polling goes on, and after the minute the lock covers it.
  eventually([&] { return !browser.property("#lock", "hidden").get<bool>(); }, std::chrono::seconds(90));
  REQUIRE_FALSE(browser.property("#lock", "hidden").get<bool>());
  CHECK(browser.text("#lock").find("La sesión está bloqueada") != std::string::npos);
  // A wrong password keeps it locked; the inspector's own opens it on the same traveller.
  browser.type("#unlock-password", "not the password");
  browser.click("#unlock-form button");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK_FALSE(browser.property("#lock", "hidden").get<bool>());
  browser.type("#unlock-password", kTestPassword);
  browser.click("#unlock-form button");
  eventually([&] { return browser.property("#lock", "hidden").get<bool>(); }, std::chrono::seconds(5));
  CHECK(browser.property("#lock", "hidden").get<bool>());
  CHECK(browser.text("#fields").find("QUISPE MAMANI") != std::string::npos);
  CHECK(post.client().get("/api/inspection").body["state"] == "inspected");
}
