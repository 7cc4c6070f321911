// `borderpost movements list|export` and `borderpost db check`, over the post's station.db.
#include "station_cli/commands.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "web/desk.hpp"
#include "support.hpp"
#include "config/config.hpp"
#include "web/local_client.hpp"
#include "store/movement_csv.hpp"
#include "store/store.hpp"
#include "sync/crypto.hpp"

namespace borderpost::station::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The database, and the signing key that verifies its records ("" when none is found).
struct StationFiles {
  std::string db, key;
};

StationFiles station_files(const Where& where) {
  StationFiles files;
  if (!where.db.empty()) {
    if (!fs::exists(where.db)) throw std::runtime_error("no database at " + where.db);
    files.db = where.db;
    files.key = (fs::path(where.db).parent_path() / "signing.key").string();
  } else {
    const auto config = load_station_config(where.config);
    files.db = (fs::path(config.data_dir) / "station.db").string();
    if (!fs::exists(files.db)) throw std::runtime_error("no station database yet at " + files.db + " (has the station run?)");
    files.key = station::signing_key_path(config);
  }
  if (!where.key.empty()) files.key = where.key;
  else if (!fs::exists(files.key)) files.key.clear();
  return files;
}



// The demo traveller queue: places each sample document on the simulated reader and decides as a
// cautious inspector would (admit when every check passes, refer to the second line otherwise).
int run_demo(const std::string& api_address, const std::string& inspector, const std::string& password, int wait_watchlist_s,
             std::ostream& out) {
  const auto colon = api_address.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--api must be HOST:PORT");
  StationClient api(static_cast<unsigned short>(std::stoi(api_address.substr(colon + 1))), api_address.substr(0, colon));
  const auto login = api.login(inspector, password);
  if (login.status == 0) throw std::runtime_error("no station answers at " + api_address + " (" + login.error + ")");
  if (login.status != 200) throw std::runtime_error("cannot log in as " + inspector + ": " + login.body.value("error", ""));
  auto status = api.get("/api/status");
  if (status.status != 200) throw std::runtime_error("the station refused its status: " + status.body.value("error", ""));
  // Watch-list hits need the central office's list: give the first sync a moment to bring it.
  for (int waited = 0; waited < wait_watchlist_s * 10 && status.body["sync"].value("watchlist_entries", 0) == 0; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = api.get("/api/status");
  }
  out << "post " << status.body.value("station", "") << ", " << status.body.value("local_date", "") << ", watch-list of "
      << status.body["sync"].value("watchlist_entries", 0) << " entries\n";
  const auto samples = api.get("/api/simulator/samples");
  if (samples.status != 200) throw std::runtime_error("the station has no simulated page reader to place documents on");
  std::uint64_t last = status.body.value("inspection", std::uint64_t{0});
  int admitted = 0, referred = 0, typed_needed = 0;
  for (const auto& sample : samples.body) {
    const std::string name = sample.get<std::string>();
    out << "\n== traveller with " << name << "\n";
    const auto placed = api.post("/api/simulator/place", {{"sample", name}});
    if (placed.status != 202) throw std::runtime_error("could not place " + name + ": " + placed.body.dump());
    const auto in = api.wait_for_inspection(last);
    last = in.value("id", last);
    const std::string state = in.value("state", "");
    if (in.contains("read")) {
      out << "   MRZ read: " << in["read"].value("status", "") << " in " << static_cast<int>(in["read"].value("elapsed_ms", 0.0))
          << " ms" << (in["read"].value("orientation", 0) ? ", page turned " + std::to_string(in["read"].value("orientation", 0)) + " degrees" : "")
          << "\n";
      if (in.contains("document"))
        for (const auto& line : in["document"]["lines"]) out << "     " << line.get<std::string>() << "\n";
    }
    if (state != "inspected") {
      out << "   " << in.value("message", state) << "\n   decision: none (the inspector types the document in)\n";
      ++typed_needed;
      api.post("/api/simulator/remove", nlohmann::json::object());
      continue;
    }
    out << "   checks:\n";
    bool all_pass = true;
    for (const auto& c : in["verdict"]["checks"]) {
      const std::string st = c.value("status", "");
      all_pass = all_pass && (st == "pass" || st == "not-run");
      std::string mark = st == "pass" ? "  ok  " : st == "warn" ? " WARN " : st == "fail" ? " FAIL " : " n/a  ";
      out << "    [" << mark << "] " << c.value("id", "") << ": " << c.value("reason", "") << (c.value("alert", false) ? "  <-- ALERT" : "") << "\n";
    }
    out << "   verdict: " << in["verdict"].value("overall", "") << ". " << in["verdict"].value("headline", "") << "\n";
    const std::string decision = all_pass ? "admit" : "refer";
    const auto decided = api.post("/api/inspection/decision", {{"decision", decision}, {"inspection", last}});
    if (decided.status != 201) throw std::runtime_error("the decision was refused: " + decided.body.dump());
    out << "   decision: " << (all_pass ? "admit" : "refer to the second line") << " (" << decided.body.value("direction", "")
        << "), movement " << decided.body.value("seq", 0) << " recorded\n";
    (all_pass ? admitted : referred)++;
    api.post("/api/simulator/remove", nlohmann::json::object());
  }
  out << "\n" << admitted << " admitted, " << referred << " referred to the second line, " << typed_needed
      << " left for manual entry (no readable MRZ)\n";
  return 0;
}

}  // namespace

void add_where(CLI::App* cmd, Where& where) {
  cmd->add_option("--config", where.config, "The station configuration (its data_dir holds station.db)")->capture_default_str();
  cmd->add_option("--db", where.db, "A station.db to use instead of the configuration's");
}

std::string actor() {
  const char* user = std::getenv("USER");
  return std::string("cli:").append(user ? user : "unknown");
}

void add_station_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto* movements = app.add_subcommand("movements", "The post's recorded movements");
  movements->require_subcommand(1);

  struct ListArgs {
    Where where;
    std::string date;
    bool json = false;
  };
  auto list_args = std::make_shared<ListArgs>();
  auto* list = movements->add_subcommand("list", "Movements of one day at this post (local date)");
  add_where(list, list_args->where);
  list->add_option("--date", list_args->date, "YYYY-MM-DD")->required()->check([](const std::string& d) {
    return sync::is_iso_date(d) ? "" : "must be YYYY-MM-DD";
  });
  list->add_flag("--json", list_args->json, "JSON for machines");
  list->callback(guarded(err, exit_code, "movements list", [list_args, &out] {
    Store store(station_files(list_args->where).db);
    MovementFilter f;
    f.from = f.to = list_args->date;
    std::vector<StoredMovement> rows;
    store.each_movement(f, [&rows](const StoredMovement& m) { rows.push_back(m); });  // one day fits in memory
    store.audit(actor(), "movements.list", list_args->date, std::to_string(rows.size()) + " movements");
    if (list_args->json) {
      json j = json::array();
      for (const auto& m : rows) j.push_back(to_json(m, true));
      out << j.dump(2) << "\n";
      return 0;
    }
    out << rows.size() << " movement(s) on " << list_args->date << "\n";
    for (const auto& m : rows) {
      const auto& mv = m.draft.movement;
      out << m.local_time << "  " << (mv.direction == "entry" ? "entry" : "exit ") << "  " << mv.decision
          << (m.draft.refusal_reason.empty() ? "" : " (" + m.draft.refusal_reason + ")") << "  " << mv.document.issuer << " "
          << mv.document.format << " " << mv.document.number << "  " << mv.traveller.surname << ", " << mv.traveller.given_names
          << "  [" << mv.checks.verdict << "] by " << mv.inspector << "\n";
    }
    return 0;
  }));

  struct ExportArgs {
    Where where;
    std::string from, to, format = "csv", out_file;
  };
  auto export_args = std::make_shared<ExportArgs>();
  auto* exp = movements->add_subcommand("export", "Movements between two local dates, as CSV or JSON");
  add_where(exp, export_args->where);
  auto date_check = [](const std::string& d) { return sync::is_iso_date(d) ? std::string() : std::string("must be YYYY-MM-DD"); };
  exp->add_option("--from", export_args->from, "First day, YYYY-MM-DD")->required()->check(date_check);
  exp->add_option("--to", export_args->to, "Last day, YYYY-MM-DD")->required()->check(date_check);
  exp->add_option("--format", export_args->format, "csv or json")->check(CLI::IsMember({"csv", "json"}))->capture_default_str();
  exp->add_option("--out", export_args->out_file, "Write to this file instead of standard output");
  exp->callback(guarded(err, exit_code, "movements export", [export_args, &out, &err] {
    if (export_args->to < export_args->from) throw std::runtime_error("--to is before --from");
    Store store(station_files(export_args->where).db);
    MovementFilter f;
    f.from = export_args->from;
    f.to = export_args->to;
    const auto total = store.count_movements(f);
    // A file export appears under its name only when complete: a full disk leaves no half file.
    struct PartialFile {
      std::string path;
      std::ofstream stream;
      bool done = false;
      ~PartialFile() {
        if (!path.empty() && !done) std::remove(path.c_str());
      }
    } file;
    if (!export_args->out_file.empty()) {
      file.path = export_args->out_file + ".partial";
      file.stream.open(file.path, std::ios::binary);
      if (!file.stream) throw std::runtime_error("cannot write " + file.path);
    }
    std::ostream& sink = export_args->out_file.empty() ? out : file.stream;
    const bool as_json = export_args->format == "json";
    if (as_json) {
      sink << "[";
    } else {
      sink << movement_csv_header();
    }
    // Page by page, so a year of a busy post streams out in constant memory; progress on the
    // terminal when the export goes to a file.
    std::uint64_t written = 0;
    store.each_movement(f, [&](const StoredMovement& m) {
      if (as_json) sink << (written == 0 ? "\n" : ",\n") << to_json(m, true).dump();
      else sink << movement_csv_row(m);
      if (!sink) throw std::runtime_error("the export could not be written completely (after " + std::to_string(written) + " movements)");
      if (++written % 50'000 == 0 && !export_args->out_file.empty()) err << "  " << written << " of " << total << " movements\n";
    });
    if (as_json) sink << (written == 0 ? "]\n" : "\n]\n");
    sink.flush();
    if (!sink) throw std::runtime_error("the export could not be written completely");
    if (!file.path.empty()) {
      file.stream.close();
      if (!file.stream) throw std::runtime_error("the export could not be written completely");
      fs::rename(file.path, export_args->out_file);
      file.done = true;
    }
    store.audit(actor(), "movements.export", export_args->from + ".." + export_args->to,
                std::to_string(written) + " movements as " + export_args->format);
    if (!export_args->out_file.empty()) err << "exported " << written << " movement(s) to " << export_args->out_file << "\n";
    return 0;
  }));

  struct DemoArgs {
    std::string api = "127.0.0.1:8780", inspector = "demo-inspector";
    int wait_watchlist = 15;
  };
  auto demo_args = std::make_shared<DemoArgs>();
  auto* demo = app.add_subcommand("demo", "Demo traveller queue: place every sample document on the simulated reader and decide cautiously");
  demo->add_option("--api", demo_args->api, "The station's local API, HOST:PORT")->capture_default_str();
  demo->add_option("--inspector", demo_args->inspector, "The inspector account to log in as (its password on standard input)")
      ->capture_default_str();
  demo->add_option("--wait-watchlist", demo_args->wait_watchlist, "Seconds to wait for the first watch-list from the central office")
      ->capture_default_str();
  demo->callback(guarded(err, exit_code, "demo", [demo_args, &out] {
    std::string password;
    if (!std::getline(std::cin, password)) throw std::runtime_error("give the inspector's password on standard input");
    return run_demo(demo_args->api, demo_args->inspector, password, demo_args->wait_watchlist, out);
  }));

  auto* db = app.add_subcommand("db", "The station database");
  db->require_subcommand(1);
  struct CheckArgs {
    Where where;
    bool json = false;
  };
  auto check_args = std::make_shared<CheckArgs>();
  auto* check = db->add_subcommand("check", "SQLite integrity and the record chain (hashes, links, signatures). Exit 0 intact, 1 not");
  add_where(check, check_args->where);
  check->add_option("--key", check_args->where.key, "signing.key whose signatures to verify (default: the station's)");
  check->add_flag("--json", check_args->json, "JSON for machines");
  check->callback(guarded(err, exit_code, "db check", [check_args, &out] {
    const auto files = station_files(check_args->where);
    // A supervisor examines a disk that went read-only too.
    const bool read_only = ::access(fs::absolute(files.db).parent_path().c_str(), W_OK) != 0;
    Store store(files.db, 0, read_only ? sync::sqlite::Access::ReadOnly : sync::sqlite::Access::ReadWrite);
    std::optional<sync::SigningKey> key;
    if (!files.key.empty()) key = sync::SigningKey::load(files.key);
    const auto health = store.check(key ? key->get() : nullptr);
    if (check_args->json) {
      out << json{{"ok", health.ok()}, {"integrity", health.integrity}, {"movements", health.movements},
                  {"outbox_pending", health.outbox_pending}, {"signatures_checked", key.has_value()},
                  {"chain_problems", health.chain_problems}}
                 .dump(2)
          << "\n";
    } else {
      out << "integrity: " << health.integrity << "\n"
          << "movements: " << health.movements << " (" << health.outbox_pending << " waiting for the central office)\n"
          << "record chain: " << (health.chain_problems.empty() ? "intact" : "BROKEN")
          << (key ? ", signatures verified" : ", signatures not checked (no signing key found)") << "\n";
      for (const auto& p : health.chain_problems) out << "  " << p << "\n";
    }
    return health.ok() ? 0 : 1;
  }));

  add_users_commands(app, std::cin, out, err, exit_code);
  add_chip_commands(app, out, err, exit_code);
  add_inspect_command(app, out, err, exit_code);
}

}  // namespace borderpost::station::cli
