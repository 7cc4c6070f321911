// `borderpost chip read` (read and verify an ePassport chip through PC/SC) and `borderpost trust
// import|list` (the CSCA certificates passive authentication trusts).
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "firmware_bridge/chip_reader.hpp"
#include "mrz/mrz.hpp"
#include "config/config.hpp"
#include "emrtd/bac.hpp"
#include "emrtd/read_chip.hpp"
#include "emrtd/trust_store.hpp"
#include "inspection/inspection.hpp"
#include "support.hpp"

namespace borderpost::station::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace borderpost::station::emrtd;

struct TrustPlace {
  std::string config = "config/station.toml";
  std::string directory;  // overrides the configuration's
};

void add_trust_place(CLI::App* cmd, TrustPlace& place) {
  cmd->add_option("--config", place.config, "Station configuration (its data directory holds trust/csca)")->capture_default_str();
  cmd->add_option("--trust-dir", place.directory, "The CSCA trust store directory (instead of the configuration's)");
}

fs::path trust_directory(const TrustPlace& place) {
  if (!place.directory.empty()) return place.directory;
  return fs::path(load_station_config(place.config).data_dir) / "trust" / "csca";
}

const char* name_of(ChipReport::Outcome outcome) {
  switch (outcome) {
    case ChipReport::Outcome::read: return "read";
    case ChipReport::Outcome::access_denied: return "access_denied";
    case ChipReport::Outcome::broken_off: return "broken_off";
  }
  return "";
}

const char* name_of(PassiveAuthentication::Certificate c) {
  switch (c) {
    case PassiveAuthentication::Certificate::valid: return "valid";
    case PassiveAuthentication::Certificate::unknown_csca: return "unknown_csca";
    case PassiveAuthentication::Certificate::csca_expired: return "csca_expired";
    case PassiveAuthentication::Certificate::ds_expired: return "ds_expired";
    case PassiveAuthentication::Certificate::invalid: return "invalid";
  }
  return "";
}

const char* name_of(ChipReport::ActiveAuth a) {
  switch (a) {
    case ChipReport::ActiveAuth::not_offered: return "not_offered";
    case ChipReport::ActiveAuth::valid: return "valid";
    case ChipReport::ActiveAuth::invalid: return "invalid";
    case ChipReport::ActiveAuth::failed: return "failed";
  }
  return "";
}

const char* name_of(ChipReport::ChipAuth a) {
  switch (a) {
    case ChipReport::ChipAuth::not_offered: return "not_offered";
    case ChipReport::ChipAuth::valid: return "valid";
    case ChipReport::ChipAuth::failed: return "failed";
    case ChipReport::ChipAuth::not_run: return "not_run";
  }
  return "";
}

const char* name_of(PassiveAuthentication::GroupHash::State s) {
  switch (s) {
    case PassiveAuthentication::GroupHash::State::matches: return "matches";
    case PassiveAuthentication::GroupHash::State::differs: return "differs";
    case PassiveAuthentication::GroupHash::State::not_read: return "not_read";
  }
  return "";
}

struct Verification {
  json report;
  bool verified = false;
};

Verification verify(const ChipReport& r, const mrz::Document& printed) {
  json j;
  j["outcome"] = name_of(r.outcome);
  if (!r.error.empty()) j["error"] = r.error;
  j["access"] = {{"method", r.access.method}, {"pace_protocol", r.access.pace_protocol}};
  if (!r.access.fallback_reason.empty()) j["access"]["pace_failed"] = r.access.fallback_reason;
  json groups = json::array();
  for (const auto& [n, bytes] : r.groups) groups.push_back({{"data_group", n}, {"bytes", bytes.size()}});
  j["data_groups"] = groups;
  bool mrz_matches = false;
  if (!r.dg1_mrz.empty()) {
    j["dg1_mrz"] = r.dg1_mrz;
    const auto differences = mrz_differences(mrz::parse(r.dg1_mrz), printed);
    j["mrz_differences"] = differences;
    mrz_matches = differences.empty();
  }
  if (!r.faces.empty())
    j["face"] = {{"format", r.faces[0].format == FaceImage::Format::jpeg ? "jpeg" : "jpeg2000"},
                 {"width", r.faces[0].width}, {"height", r.faces[0].height}, {"bytes", r.faces[0].encoded.size()}};
  for (const auto& [name, value] : r.dg11) j["dg11"][name] = value;
  for (const auto& [name, value] : r.dg12) j["dg12"][name] = value;
  bool passive_ok = false;
  if (r.passive) {
    const auto& p = *r.passive;
    json hashes = json::array();
    for (const auto& h : p.hashes) hashes.push_back({{"data_group", h.data_group}, {"state", name_of(h.state)}});
    j["passive_authentication"] = {
        {"signature", p.signature == PassiveAuthentication::Signature::valid ? "valid" : "invalid"},
        {"signature_detail", p.signature_detail},
        {"certificate", name_of(p.certificate)},
        {"certificate_detail", p.certificate_detail},
        {"ds_subject", p.ds_subject},
        {"ds_country", p.ds_country},
        {"hash_algorithm", r.security_object->hash_algorithm},
        {"hashes", hashes}};
    passive_ok = p.signature == PassiveAuthentication::Signature::valid && p.certificate == PassiveAuthentication::Certificate::valid &&
                 p.hashes_match();
  } else {
    j["passive_authentication"] = {{"error", r.passive_error}};
  }
  j["active_authentication"] = {{"result", name_of(r.active_auth)}, {"detail", r.active_auth_detail}};
  j["chip_authentication"] = {{"result", name_of(r.chip_auth)}, {"detail", r.chip_auth_detail}};
  json steps = json::array();
  for (const auto& s : r.steps) steps.push_back({{"step", s.name}, {"ms", s.milliseconds}});
  j["steps"] = steps;
  j["commands"] = r.commands;
  j["extended_reads"] = r.extended_reads;
  // The verdict is the inspection's chip checks: the same words and rules as at the desk.
  ChipFacts facts;
  facts.state = ChipFacts::State::read;
  facts.report = r;
  json checks = json::array();
  bool verified = r.outcome == ChipReport::Outcome::read;
  for (const auto& c : chip_checks(printed, MrzSource::Typed, facts, Rules{})) {
    checks.push_back({{"id", c.id}, {"status", to_string(c.status)}, {"reason", c.reason}, {"measurement", c.measurement}});
    verified = verified && (c.status == CheckStatus::Pass || c.status == CheckStatus::NotRun);
  }
  j["checks"] = checks;
  verified = verified && passive_ok && mrz_matches;
  j["verified"] = verified;
  return {j, verified};
}

void write_file(const fs::path& path, ByteView bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void save(const ChipReport& r, const json& report, const fs::path& dir) {
  fs::create_directories(dir);
  for (const auto& [n, bytes] : r.groups) write_file(dir / ("DG" + std::to_string(n) + ".bin"), bytes);
  if (!r.sod.empty()) write_file(dir / "EF.SOD.bin", r.sod);
  if (!r.faces.empty()) {
    const auto& face = r.faces[0];
    write_file(dir / (face.format == FaceImage::Format::jpeg ? "face.jpg" : "face.jp2"), face.encoded);
    const cv::Mat image = cv::imdecode(face.encoded, cv::IMREAD_COLOR);
    if (!image.empty()) cv::imwrite((dir / "face.png").string(), image);
  }
  std::ofstream(dir / "report.json") << report.dump(2) << "\n";
}

void print(std::ostream& out, const ChipReport& r, const json& j) {
  out << "chip: " << name_of(r.outcome);
  if (!r.error.empty()) out << " (" << r.error << ")";
  out << "\n";
  if (!r.access.method.empty()) out << "access: " << r.access.method << (r.access.pace_protocol.empty() ? "" : " " + r.access.pace_protocol) << "\n";
  if (!r.access.fallback_reason.empty()) out << "  PACE failed, BAC used: " << r.access.fallback_reason << "\n";
  if (j.contains("mrz_differences"))
    out << "DG1 against the printed MRZ: " << (j["mrz_differences"].empty() ? std::string("same") : "differs in " + j["mrz_differences"].dump()) << "\n";
  if (r.passive) {
    out << "passive authentication: signature " << j["passive_authentication"]["signature"].get<std::string>() << "; certificate "
        << name_of(r.passive->certificate) << " (" << r.passive->certificate_detail << ")\n";
    for (const auto& h : r.passive->hashes) out << "  DG" << h.data_group << " hash " << name_of(h.state) << "\n";
  } else {
    out << "passive authentication: " << r.passive_error << "\n";
  }
  out << "chip authentication: " << name_of(r.chip_auth) << (r.chip_auth_detail.empty() ? "" : " (" + r.chip_auth_detail + ")") << "\n";
  out << "active authentication: " << name_of(r.active_auth) << (r.active_auth_detail.empty() ? "" : " (" + r.active_auth_detail + ")") << "\n";
  double total = 0;
  for (const auto& s : r.steps) total += s.milliseconds;
  out << "time: " << static_cast<long>(total) << " ms in " << r.commands << " commands (";
  for (std::size_t i = 0; i < r.steps.size(); ++i) out << (i ? ", " : "") << r.steps[i].name << " " << static_cast<long>(r.steps[i].milliseconds);
  out << ")\n";
  for (const auto& c : j["checks"])
    out << "  " << c["status"].get<std::string>() << "\t" << c["id"].get<std::string>() << ": " << c["reason"].get<std::string>() << "\n";
  out << (j["verified"].get<bool>() ? "VERIFIED" : "NOT VERIFIED") << "\n";
}

}  // namespace

void add_chip_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto* trust = app.add_subcommand("trust", "The CSCA certificates the chip's passive authentication trusts");
  trust->require_subcommand(1);
  struct ImportArgs {
    TrustPlace place;
    std::vector<std::string> files;
  };
  auto import_args = std::make_shared<ImportArgs>();
  auto* import = trust->add_subcommand("import", "Import CSCA master lists (.ml) and certificates (PEM or DER)");
  add_trust_place(import, import_args->place);
  import->add_option("files", import_args->files, "Master lists and certificates")->required()->check(CLI::ExistingFile);
  import->callback(guarded(err, exit_code, "trust import", [import_args, &out] {
    TrustStore store(trust_directory(import_args->place));
    int failures = 0;
    for (const auto& file : import_args->files) {
      try {
        const auto r = store.import_file(file);
        out << file << ": " << r.kind << (r.signer.empty() ? "" : " signed by " + r.signer) << ": " << r.added << " added, "
            << r.already_present << " already trusted, " << r.refused.size() << " refused\n";
        for (const auto& why : r.refused) out << "  refused " << why << "\n";
      } catch (const std::exception& e) {
        out << file << ": " << e.what() << "\n";
        ++failures;
      }
    }
    out << store.list().size() << " CSCA certificate(s) trusted in " << store.directory().string() << "\n";
    return failures ? 1 : 0;
  }));

  struct ListArgs {
    TrustPlace place;
    bool json = false;
  };
  auto list_args = std::make_shared<ListArgs>();
  auto* list = trust->add_subcommand("list", "The trusted CSCA certificates");
  add_trust_place(list, list_args->place);
  list->add_flag("--json", list_args->json, "JSON for machines");
  list->callback(guarded(err, exit_code, "trust list", [list_args, &out] {
    const TrustStore store(trust_directory(list_args->place));
    json all = json::array();
    for (const auto& c : store.list()) {
      if (list_args->json)
        all.push_back({{"country", c.country}, {"subject", c.subject}, {"not_before", c.not_before}, {"not_after", c.not_after},
                       {"key", c.key}, {"sha256", c.fingerprint}});
      else
        out << (c.country.empty() ? "--" : c.country) << "  " << c.not_before << " .. " << c.not_after << "  " << c.key << "  " << c.subject << "\n";
    }
    if (list_args->json) out << all.dump(2) << "\n";
    return 0;
  }));

  auto* chip = app.add_subcommand("chip", "ePassport chips (ICAO Doc 9303): read and verify through a PC/SC reader");
  chip->require_subcommand(1);
  struct ReadArgs {
    TrustPlace place;
    std::string reader, out_dir;
    std::vector<std::string> mrz;
    bool json = false, bac_only = false;
    double wait_seconds = 30;
  };
  auto read_args = std::make_shared<ReadArgs>();
  auto* read = chip->add_subcommand("read", "Open the chip with the MRZ's keys (PACE, else BAC), read it and verify it");
  add_trust_place(read, read_args->place);
  read->add_option("--reader", read_args->reader, "The PC/SC reader's name (default: the first with a chip)");
  read->add_option("--mrz", read_args->mrz, "The printed MRZ, one argument per line")->required();
  read->add_option("--wait", read_args->wait_seconds, "Seconds to wait for a chip")->capture_default_str();
  read->add_option("--out", read_args->out_dir, "Write the files read, the face image and report.json here");
  read->add_flag("--bac-only", read_args->bac_only, "Skip PACE");
  read->add_flag("--json", read_args->json, "JSON for machines");
  read->callback(guarded(err, exit_code, "chip read", [read_args, &out] {
    std::string lines;
    for (const auto& line : read_args->mrz) lines += (lines.empty() ? "" : "\n") + line;
    const auto printed = mrz::parse(lines);
    if (!printed.usable()) throw std::runtime_error("the MRZ given is not one ICAO Doc 9303 knows");
    const auto information = mrz_information(printed);
    const TrustStore trusted(trust_directory(read_args->place));
    bridge::PcscReaders readers;
    const auto reader = readers.wait_for_card(read_args->reader, std::chrono::milliseconds(static_cast<long>(read_args->wait_seconds * 1000)));
    if (!reader) throw std::runtime_error("no chip was placed on a reader within " + std::to_string(static_cast<int>(read_args->wait_seconds)) + " s");
    const auto channel = readers.connect(*reader);
    ChipReadOptions options;
    options.try_pace = !read_args->bac_only;
    const auto report = read_chip([&channel](ByteView command) { return channel->transmit(command); }, information, trusted, options);
    auto [j, verified] = verify(report, printed);
    j["reader"] = *reader;
    if (!read_args->out_dir.empty()) save(report, j, read_args->out_dir);
    if (read_args->json) out << j.dump(2) << "\n";
    else print(out, report, j);
    return verified ? 0 : 1;
  }));
}

}  // namespace borderpost::station::cli
