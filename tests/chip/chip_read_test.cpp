// Reading and verifying ePassport chips the way the post does, through the real PC/SC stack: a
// private pcscd, vsmartcard-vpcd, the firmware bridge's PcscReaders, read_chip, the chip checks
// of the inspection, the station's chip reader thread and the `borderpost chip read` and
// `borderpost trust` commands. The chips are virtual passports signed by a PKI made in this run.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "daemon/chip_reading.hpp"
#include "firmware_bridge/chip_reader.hpp"
#include "lds_builder.hpp"
#include "mrz/mrz.hpp"
#include "pcscd_fixture.hpp"
#include "process.hpp"
#include "station_support.hpp"
#include "emrtd/read_chip.hpp"
#include "emrtd/trust_store.hpp"
#include "inspection/inspection.hpp"
#include "test_pki.hpp"
#include "virtual_chip.hpp"

namespace chip = borderpost::test::chip;
namespace emrtd = borderpost::station::emrtd;
namespace fs = std::filesystem;
using borderpost::station::ChipFacts;
using borderpost::station::CheckStatus;
using emrtd::ChipReport;
using emrtd::PassiveAuthentication;

namespace {

const fs::path kWork = CHIP_READ_WORK_DIR;

// Utopia's PKI (the kit's), and for the tests of this file an expired signer, and a CSCA the
// post does not trust with a signer of its own; made once per process.
struct Pki {
  const chip::CertifiedKey& csca = chip::utopia_pki().csca;
  const chip::CertifiedKey& signer = chip::utopia_pki().signer;
  chip::CertifiedKey expired_signer = chip::make_document_signer(csca, "UT", chip::days_from_now(-400), chip::days_from_now(-10));
  chip::CertifiedKey stranger_csca =
      chip::make_csca("UT", "CSCA Utopia (forged)", chip::KeyKind::EcP256, chip::days_from_now(-365), chip::days_from_now(3650));
  chip::CertifiedKey stranger_signer = chip::make_document_signer(stranger_csca, "UT", chip::days_from_now(-30), chip::days_from_now(3650));
};
const Pki& pki() {
  static const Pki made;
  return made;
}

// A trust store holding Utopia's CSCA only, fresh for each test.
emrtd::TrustStore utopia_trust(const std::string& name) {
  const auto directory = kWork / "trust" / name;
  fs::remove_all(directory);
  chip::write_pem(pki().csca.certificate.get(), kWork / "utopia-csca.pem");
  emrtd::TrustStore store(directory);
  REQUIRE(store.import_file(kWork / "utopia-csca.pem").added == 1);
  store.reload();
  return store;
}

chip::ChipContents passport(chip::PassportOptions options = {}) {
  if (!options.document_signer) options.document_signer = &pki().signer;
  return chip::make_passport_chip(chip::specimen_mrz_lines(), options);
}

std::string specimen_text() {
  std::string text;
  for (const auto& line : chip::specimen_mrz_lines()) text.append(text.empty() ? "" : "\n").append(line);
  return text;
}

// The chip on the reader, read by the station's code through PC/SC.
ChipReport read_through_pcsc(const chip::PrivatePcscd& pcscd, const chip::TestReader& reader, const std::string& mrz_information,
                             const emrtd::TrustStore& trust, emrtd::ChipReadOptions options = {}) {
  borderpost::bridge::PcscReaders readers;
  const auto name = readers.wait_for_card(pcscd.reader_name(reader), std::chrono::seconds(5));
  REQUIRE(name);
  const auto channel = readers.connect(*name);
  return emrtd::read_chip([&channel](emrtd::ByteView command) { return channel->transmit(command); }, mrz_information, trust, options);
}

borderpost::station::Verdict inspect_with(const ChipReport& report) {
  borderpost::station::InspectionFacts facts;
  facts.document = mrz::parse(specimen_text());
  facts.direction = borderpost::station::Direction::entry;
  facts.crossing_date = std::chrono::year_month_day{std::chrono::year{2011}, std::chrono::month{1}, std::chrono::day{1}};
  facts.chip.state = ChipFacts::State::read;
  facts.chip.report = report;
  return borderpost::station::inspect(facts, {});
}

CheckStatus status_of(const borderpost::station::Verdict& verdict, std::string_view id) {
  for (const auto& c : verdict.checks)
    if (c.id == id) return c.status;
  FAIL("no check " << id);
  return CheckStatus::NotRun;
}

PassiveAuthentication::GroupHash::State hash_state(const ChipReport& report, int group) {
  REQUIRE(report.passive);
  for (const auto& h : report.passive->hashes)
    if (h.data_group == group) return h.state;
  FAIL("DG" << group << " is not in EF.SOD");
  return PassiveAuthentication::GroupHash::State::not_read;
}

}  // namespace

TEST_CASE("through pcscd: a PACE passport with extended length is read whole, verifies in every way, and reads again") {
  chip::PrivatePcscd pcscd(kWork);
  chip::VirtualChip card(passport());
  card.insert(chip::test_reader_a().port);
  const auto trust = utopia_trust("pace");
  const auto report = read_through_pcsc(pcscd, chip::test_reader_a(), card.contents().mrz_information, trust);
  INFO(report.error);
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  CHECK(report.access.method == "PACE");
  CHECK(report.access.fallback_reason.empty());
  CHECK(report.extended_reads);
  CHECK(report.dg1_mrz == specimen_text());
  REQUIRE(report.faces.size() == 1);
  CHECK(report.faces[0].width == 300);
  CHECK(report.faces[0].height == 400);
  CHECK(report.groups.at(2) == *card.contents().file(chip::data_group_file_id(2)));
  REQUIRE(report.passive);
  CHECK(report.passive->signature == PassiveAuthentication::Signature::valid);
  CHECK(report.passive->certificate == PassiveAuthentication::Certificate::valid);
  CHECK(report.passive->hashes_match());
  CHECK(report.passive->ds_country == "UT");
  CHECK(report.active_auth == ChipReport::ActiveAuth::valid);

  const auto verdict = inspect_with(report);
  for (const char* id : {"chip.access", "chip.passive_auth", "chip.dg_hashes", "chip.ds_certificate", "chip.mrz_matches_optical", "chip.active_auth"})
    CHECK_MESSAGE(status_of(verdict, id) == CheckStatus::Pass, id);

  // Read again with the passport left on the reader: still PACE, from the master file.
  const auto again = read_through_pcsc(pcscd, chip::test_reader_a(), card.contents().mrz_information, trust);
  CHECK(again.outcome == ChipReport::Outcome::read);
  CHECK(again.access.method == "PACE");
  CHECK(again.access.fallback_reason.empty());
}

TEST_CASE("through pcscd: a BAC-only chip that takes short APDUs only is read in chunks and verifies") {
  chip::PrivatePcscd pcscd(kWork);
  chip::ChipBehaviour behaviour;
  behaviour.extended_length = false;
  chip::PassportOptions options;
  options.pace = false;
  chip::VirtualChip card(passport(options), behaviour);
  card.insert(chip::test_reader_b().port);
  const auto report = read_through_pcsc(pcscd, chip::test_reader_b(), card.contents().mrz_information, utopia_trust("bac"));
  INFO(report.error);
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  CHECK(report.access.method == "BAC");
  CHECK_FALSE(report.extended_reads);
  CHECK(report.groups.at(2).size() > 15'000);
  CHECK(report.passive->hashes_match());
  INFO(report.active_auth_detail);
  CHECK(report.active_auth == ChipReport::ActiveAuth::valid);  // the signature fits a short protected answer
  const auto verdict = inspect_with(report);
  CHECK(status_of(verdict, "chip.dg_hashes") == CheckStatus::Pass);
  CHECK(status_of(verdict, "chip.active_auth") == CheckStatus::Pass);
}

TEST_CASE("through pcscd: a chip that offers PACE but refuses it is opened with BAC, and the reason is kept") {
  chip::PrivatePcscd pcscd(kWork);
  chip::ChipBehaviour behaviour;
  behaviour.pace = false;
  chip::VirtualChip card(passport(), behaviour);
  card.insert(chip::test_reader_a().port);
  const auto report = read_through_pcsc(pcscd, chip::test_reader_a(), card.contents().mrz_information, utopia_trust("fallback"));
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  CHECK(report.access.method == "BAC");
  CHECK_FALSE(report.access.fallback_reason.empty());
  CHECK(report.passive->hashes_match());
}

TEST_CASE("through pcscd: DG1 changed after signing fails its hash and differs from the printed MRZ") {
  chip::PrivatePcscd pcscd(kWork);
  chip::PassportOptions options;
  options.tampered_data_group = 1;
  chip::VirtualChip card(passport(options));
  card.insert(chip::test_reader_a().port);
  const auto report = read_through_pcsc(pcscd, chip::test_reader_a(), card.contents().mrz_information, utopia_trust("tampered"));
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  CHECK(report.passive->signature == PassiveAuthentication::Signature::valid);
  CHECK(hash_state(report, 1) == PassiveAuthentication::GroupHash::State::differs);
  CHECK(hash_state(report, 2) == PassiveAuthentication::GroupHash::State::matches);
  const auto verdict = inspect_with(report);
  CHECK(status_of(verdict, "chip.dg_hashes") == CheckStatus::Fail);
  CHECK(status_of(verdict, "chip.mrz_matches_optical") == CheckStatus::Fail);
  CHECK(verdict.overall == CheckStatus::Fail);
}

TEST_CASE("through pcscd: a document signer from a CSCA the post does not trust is an unknown CSCA, not a failure") {
  chip::PrivatePcscd pcscd(kWork);
  chip::PassportOptions options;
  options.document_signer = &pki().stranger_signer;
  chip::VirtualChip card(passport(options));
  card.insert(chip::test_reader_b().port);
  const auto report = read_through_pcsc(pcscd, chip::test_reader_b(), card.contents().mrz_information, utopia_trust("unknown"));
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  CHECK(report.passive->signature == PassiveAuthentication::Signature::valid);
  CHECK(report.passive->certificate == PassiveAuthentication::Certificate::unknown_csca);
  CHECK(report.passive->hashes_match());
  CHECK(status_of(inspect_with(report), "chip.ds_certificate") == CheckStatus::Warn);
}

TEST_CASE("through pcscd: an expired document signer certificate is reported as expired") {
  chip::PrivatePcscd pcscd(kWork);
  chip::PassportOptions options;
  options.document_signer = &pki().expired_signer;
  chip::VirtualChip card(passport(options));
  card.insert(chip::test_reader_a().port);
  const auto report = read_through_pcsc(pcscd, chip::test_reader_a(), card.contents().mrz_information, utopia_trust("expired"));
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  CHECK(report.passive->certificate == PassiveAuthentication::Certificate::ds_expired);
  CHECK(status_of(inspect_with(report), "chip.ds_certificate") == CheckStatus::Warn);
}

TEST_CASE("through pcscd: Chip Authentication proves a chip genuine, and a cloned chip with genuine files is caught") {
  chip::PrivatePcscd pcscd(kWork);
  chip::PassportOptions options;
  options.chip_authentication = true;
  const auto contents = passport(options);
  const auto trust = utopia_trust("clone");
  {
    chip::VirtualChip card(contents);
    card.insert(chip::test_reader_a().port);
    const auto report = read_through_pcsc(pcscd, chip::test_reader_a(), contents.mrz_information, trust);
    INFO(report.chip_auth_detail);
    REQUIRE(report.outcome == ChipReport::Outcome::read);
    CHECK(report.chip_auth == ChipReport::ChipAuth::valid);
    CHECK(status_of(inspect_with(report), "chip.active_auth") == CheckStatus::Pass);
  }
  chip::ChipBehaviour cloned;
  cloned.cloned = true;  // the same signed files on a chip with keys of its own
  chip::VirtualChip copy(contents, cloned);
  copy.insert(chip::test_reader_b().port);
  const auto report = read_through_pcsc(pcscd, chip::test_reader_b(), contents.mrz_information, trust);
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  CHECK(report.passive->hashes_match());  // passive authentication alone cannot tell
  CHECK(report.chip_auth == ChipReport::ChipAuth::failed);
  const auto verdict = inspect_with(report);
  CHECK(status_of(verdict, "chip.active_auth") == CheckStatus::Fail);
  CHECK(verdict.overall == CheckStatus::Fail);
}

TEST_CASE("through pcscd: a chip that does not belong to the MRZ refuses access with PACE and with BAC") {
  chip::PrivatePcscd pcscd(kWork);
  chip::ChipBehaviour behaviour;
  behaviour.access_mrz_information = "L898902C<369080619406236";  // another passport's keys (Doc 9303 Part 11, D.2)
  chip::VirtualChip card(passport(), behaviour);
  card.insert(chip::test_reader_b().port);
  const auto report = read_through_pcsc(pcscd, chip::test_reader_b(), card.contents().mrz_information, utopia_trust("denied"));
  CHECK(report.outcome == ChipReport::Outcome::access_denied);
  CHECK_FALSE(report.error.empty());
  CHECK(report.groups.empty());
  const auto verdict = inspect_with(report);
  CHECK(status_of(verdict, "chip.access") == CheckStatus::Fail);
  CHECK(verdict.overall == CheckStatus::Fail);
}

TEST_CASE("through pcscd: a chip taken away in the middle of DG2 is reported as broken off, and reads through when put back") {
  chip::PrivatePcscd pcscd(kWork);
  chip::ChipBehaviour behaviour;
  behaviour.break_after_bytes = 6000;
  chip::VirtualChip card(passport(), behaviour);
  card.insert(chip::test_reader_a().port);
  const auto trust = utopia_trust("broken");
  const auto broken = read_through_pcsc(pcscd, chip::test_reader_a(), card.contents().mrz_information, trust);
  INFO(broken.error);
  CHECK(broken.outcome == ChipReport::Outcome::broken_off);
  CHECK_FALSE(broken.error.empty());
  CHECK(broken.groups.count(1) == 1);  // DG1 came before the break and is kept
  CHECK(status_of(inspect_with(broken), "chip.access") == CheckStatus::Warn);

  REQUIRE(chip::wait_for_card_state(pcscd.reader_name(chip::test_reader_a()), false, 5000));
  card.insert(chip::test_reader_a().port);
  const auto again = read_through_pcsc(pcscd, chip::test_reader_a(), card.contents().mrz_information, trust);
  CHECK(again.outcome == ChipReport::Outcome::read);
  CHECK(again.passive->hashes_match());
}

TEST_CASE("through pcscd: a master list with an explicit-parameter brainpool CSCA is imported, and its passports verify") {
  chip::PrivatePcscd pcscd(kWork);
  const auto csca = chip::make_csca("UT", "CSCA Utopia brainpool", chip::KeyKind::BrainpoolP256r1Explicit, chip::days_from_now(-365),
                                    chip::days_from_now(3650));
  const auto signer = chip::make_document_signer(csca, "UT", chip::days_from_now(-30), chip::days_from_now(3650));
  const auto list_signer = chip::make_master_list_signer(csca, "UT", chip::days_from_now(-30), chip::days_from_now(3650));
  const X509* cscas[] = {csca.certificate.get(), pki().csca.certificate.get()};
  chip::write_bytes(chip::make_master_list(cscas, list_signer), kWork / "utopia.ml");
  const auto directory = kWork / "trust" / "master-list";
  fs::remove_all(directory);
  emrtd::TrustStore trust(directory);
  const auto imported = trust.import_file(kWork / "utopia.ml");
  CHECK(imported.kind == "master list");
  CHECK(imported.signature_valid);
  CHECK(imported.added == 2);
  CHECK(imported.refused.empty());
  trust.reload();

  chip::PassportOptions options;
  options.document_signer = &signer;
  chip::VirtualChip card(passport(options));
  card.insert(chip::test_reader_b().port);
  const auto report = read_through_pcsc(pcscd, chip::test_reader_b(), card.contents().mrz_information, trust);
  REQUIRE(report.outcome == ChipReport::Outcome::read);
  INFO(report.passive->certificate_detail);
  CHECK(report.passive->certificate == PassiveAuthentication::Certificate::valid);
  CHECK(report.passive->csca_subject.find("brainpool") != std::string::npos);
}

// What a ChipReading delivers, collected from its thread.
class Deliveries {
 public:
  borderpost::station::ChipReading::Done sink() {
    return [this](borderpost::station::ChipReadResult result) {
      std::lock_guard lock(mutex_);
      results_.push_back(std::move(result));
      arrived_.notify_all();
    };
  }
  borderpost::station::ChipReadResult next() {
    std::unique_lock lock(mutex_);
    REQUIRE(arrived_.wait_for(lock, std::chrono::seconds(20), [this] { return !results_.empty(); }));
    auto result = std::move(results_.front());
    results_.pop_front();
    return result;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<borderpost::station::ChipReadResult> results_;
};

TEST_CASE("the station's chip reader thread: reads a chip, decodes a JPEG 2000 face, and reports no chip and no reader plainly") {
  chip::PrivatePcscd pcscd(kWork);
  const auto trust_dir = kWork / "trust" / "station";
  fs::remove_all(trust_dir);
  chip::write_pem(pki().csca.certificate.get(), kWork / "utopia-csca.pem");
  emrtd::TrustStore(trust_dir).import_file(kWork / "utopia-csca.pem");

  Deliveries delivered;
  borderpost::station::ChipReading reading({pcscd.reader_name(chip::test_reader_a()), std::chrono::milliseconds(1500), trust_dir},
                                           delivered.sink());
  // Nothing on the reader: absent once the wait is over.
  reading.read(1, "L898902C<369080619406236", std::chrono::system_clock::now());
  const auto absent = delivered.next();
  CHECK(absent.inspection == 1);
  CHECK(absent.facts.state == ChipFacts::State::absent);

  chip::PassportOptions options;
  options.face = chip::FaceImageFormat::Jpeg2000;
  chip::VirtualChip card(passport(options));
  card.insert(chip::test_reader_a().port);
  reading.read(2, card.contents().mrz_information, std::chrono::system_clock::now());
  const auto read = delivered.next();
  CHECK(read.inspection == 2);
  REQUIRE(read.facts.state == ChipFacts::State::read);
  CHECK(read.facts.report.outcome == ChipReport::Outcome::read);
  CHECK(read.facts.report.passive->certificate == PassiveAuthentication::Certificate::valid);
  REQUIRE(read.face_jpeg.size() > 1000);
  const cv::Mat face = cv::imdecode(read.face_jpeg, cv::IMREAD_COLOR);
  CHECK(face.cols == 300);
  CHECK(face.rows == 400);

  // A newer document supersedes a read still waiting for its chip: only the newer one reports.
  card.remove();
  REQUIRE(chip::wait_for_card_state(pcscd.reader_name(chip::test_reader_a()), false, 5000));
  reading.read(3, card.contents().mrz_information, std::chrono::system_clock::now());
  reading.read(4, card.contents().mrz_information, std::chrono::system_clock::now());
  CHECK(delivered.next().inspection == 4);
  reading.stop();

  borderpost::station::ChipReading nowhere({"No such reader 00 00", std::chrono::milliseconds(500), trust_dir}, delivered.sink());
  nowhere.read(5, card.contents().mrz_information, std::chrono::system_clock::now());
  const auto unavailable = delivered.next();
  CHECK(unavailable.facts.state == ChipFacts::State::unavailable);
  CHECK(unavailable.facts.detail.find("No such reader") != std::string::npos);
}

TEST_CASE("through pcscd: borderpost trust import and chip read verify a passport from the command line") {
  chip::PrivatePcscd pcscd(kWork);
  const auto trust_dir = kWork / "trust" / "cli";
  fs::remove_all(trust_dir);
  const auto list_signer = chip::make_master_list_signer(pki().csca, "UT", chip::days_from_now(-30), chip::days_from_now(3650));
  const X509* cscas[] = {pki().csca.certificate.get()};
  chip::write_bytes(chip::make_master_list(cscas, list_signer), kWork / "cli.ml");
  const auto imported = borderpost::test::run_process(BORDERPOST_BIN, {"trust", "import", "--trust-dir", trust_dir.string(), (kWork / "cli.ml").string()});
  INFO(imported.out << imported.err);
  CHECK(imported.exit_code == 0);
  CHECK(imported.out.find("1 added") != std::string::npos);
  const auto listed = borderpost::test::run_process(BORDERPOST_BIN, {"trust", "list", "--trust-dir", trust_dir.string(), "--json"});
  CHECK(nlohmann::json::parse(listed.out).at(0).at("country") == "UT");

  chip::VirtualChip card(passport());
  card.insert(chip::test_reader_b().port);
  const auto out_dir = kWork / "cli-read";
  fs::remove_all(out_dir);
  const auto lines = chip::specimen_mrz_lines();
  const auto read = borderpost::test::run_process(
      BORDERPOST_BIN, {"chip", "read", "--reader", pcscd.reader_name(chip::test_reader_b()), "--mrz", lines[0], "--mrz", lines[1],
                       "--trust-dir", trust_dir.string(), "--wait", "5", "--json", "--out", out_dir.string()});
  INFO(read.out << read.err);
  CHECK(read.exit_code == 0);
  const auto report = nlohmann::json::parse(read.out);
  CHECK(report["verified"] == true);
  CHECK(report["access"]["method"] == "PACE");
  CHECK(report["passive_authentication"]["certificate"] == "valid");
  CHECK(fs::exists(out_dir / "face.png"));
  CHECK(fs::exists(out_dir / "EF.SOD.bin"));
  CHECK(fs::exists(out_dir / "report.json"));

  // A wrong MRZ typed in: the chip stays shut and the command says so with a failing exit code.
  const auto refused = borderpost::test::run_process(
      BORDERPOST_BIN, {"chip", "read", "--reader", pcscd.reader_name(chip::test_reader_b()), "--mrz", lines[0], "--mrz",
                       "L898902C<3UTO6908061F9406236ZE184226B<<<<<14", "--trust-dir", trust_dir.string(), "--wait", "5"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.find("access_denied") != std::string::npos);
  CHECK(refused.out.find("NOT VERIFIED") != std::string::npos);
}

// --- the station daemon with a chip reader ---

namespace {

// The current inspection once its chip has been read (the chip checks no longer "reading").
nlohmann::json inspection_after_chip(const borderpost::station::StationClient& api) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    const auto answer = api.get("/api/inspection");
    REQUIRE(answer.status == 200);
    if (answer.body.contains("chip") && answer.body["chip"]["state"] != "reading") return answer.body;
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, answer.body.dump());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::map<std::string, std::string> chip_statuses(const nlohmann::json& inspection) {
  std::map<std::string, std::string> statuses;
  for (const auto& c : inspection["verdict"]["checks"])
    if (c["id"].get<std::string>().rfind("chip.", 0) == 0) statuses[c["id"]] = c["status"];
  return statuses;
}

}  // namespace

TEST_CASE("the station reads the chip of a typed passport, shows its checks and face, and records them with the decision") {
  chip::PrivatePcscd pcscd(kWork);
  borderpost::test::StationPost post("chip");
  post.devices_config = "chip_reader = \"" + pcscd.reader_name(chip::test_reader_a()) + "\"\nchip_wait_ms = 1500\n";
  chip::write_pem(pki().csca.certificate.get(), kWork / "utopia-csca.pem");
  emrtd::TrustStore(post.dir / "data" / "trust" / "csca").import_file(kWork / "utopia-csca.pem");
  post.start();
  const auto api = post.client();
  const auto status = api.get("/api/status").body["chip_reader"];
  CHECK(status["configured"] == true);
  CHECK(status["connected"] == true);

  // No chip on the reader: a passport should have one, so chip.access warns.
  REQUIRE(api.post("/api/inspection/manual", {{"mrz", specimen_text()}}).status == 200);
  auto inspection = inspection_after_chip(api);
  CHECK(inspection["chip"]["state"] == "absent");
  CHECK(chip_statuses(inspection)["chip.access"] == "warn");

  chip::VirtualChip card(passport());
  card.insert(chip::test_reader_a().port);
  REQUIRE(chip::wait_for_card_state(pcscd.reader_name(chip::test_reader_a()), true, 5000));
  REQUIRE(api.post("/api/inspection/manual", {{"mrz", specimen_text()}}).status == 200);
  inspection = inspection_after_chip(api);
  INFO(inspection.dump());
  CHECK(inspection["chip"]["state"] == "read");
  CHECK(inspection["chip"]["method"] == "PACE");
  CHECK(inspection["chip"]["face"] == true);
  const auto statuses = chip_statuses(inspection);
  for (const char* id : {"chip.access", "chip.passive_auth", "chip.dg_hashes", "chip.ds_certificate", "chip.mrz_matches_optical", "chip.active_auth"})
    CHECK_MESSAGE(statuses.at(id) == "pass", id);
  const auto face = api.get("/api/inspection/chip-face");
  CHECK(face.status == 200);
  CHECK(cv::imdecode(std::vector<unsigned char>(face.text.begin(), face.text.end()), cv::IMREAD_COLOR).cols == 300);

  const auto decided = api.post("/api/inspection/decision", {{"decision", "refer"}, {"inspection", inspection["id"]}});
  REQUIRE_MESSAGE(decided.status == 201, decided.body.dump());
  const auto uuid = decided.body["uuid"].get<std::string>();
  const auto stored = post.client(borderpost::test::kSupervisor).get("/api/movements/" + uuid);
  REQUIRE(stored.status == 200);
  int chip_checks = 0;
  for (const auto& c : stored.body["checks"])
    if (c["id"].get<std::string>().rfind("chip.", 0) == 0 && c["status"] == "pass") ++chip_checks;
  CHECK(chip_checks == 6);
}
