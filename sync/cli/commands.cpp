#include "sync_cli/commands.hpp"
#include "sync_cli/guarded.hpp"

#include <filesystem>
#include <memory>
#include <random>

#include <nlohmann/json.hpp>

#include "sync/central_config.hpp"
#include "sync/central_store.hpp"
#include "sync/outbox.hpp"
#include "sync/pki.hpp"
#include "sync/sqlite.hpp"
#include "sync/station_watchlist.hpp"
#include "sync/uploader.hpp"

namespace borderpost::sync::cli {
namespace {

using nlohmann::json;

struct Credentials {
  std::string dir;
  std::string path(const char* file) const { return (std::filesystem::path(dir) / file).string(); }
};

// Plausible movements for the record producer: the sync chain is tested without the station.
Movement random_movement(std::mt19937& rng) {
  static const char* kSurnames[] = {"QUISPE", "MAMANI", "GARCIA", "RODRIGUEZ", "SILVA", "FLORES", "TORRES", "ROJAS"};
  static const char* kGiven[] = {"ANA MARIA", "JOSE LUIS", "CARLOS", "LUCIA", "MIGUEL ANGEL", "ROSA"};
  static const char* kStates[] = {"PER", "BOL", "CHL", "ECU", "COL", "ARG", "BRA", "USA", "ESP", "D"};
  auto pick = [&](const auto& list) { return list[std::uniform_int_distribution<std::size_t>(0, std::size(list) - 1)(rng)]; };
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
    return s;
  };
  Movement m;
  m.direction = rng() % 2 ? "entry" : "exit";
  const std::string state = pick(kStates);
  m.document = {"TD3", "P", state, "P" + digits(8), std::to_string(2027 + rng() % 9) + "-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 9)};
  m.traveller = {pick(kSurnames), pick(kGiven), state,
                 std::to_string(1940 + rng() % 66) + "-" + (rng() % 2 ? "0" : "1") + std::to_string(rng() % 3) + "-2" + std::to_string(rng() % 9),
                 rng() % 2 ? "F" : "M"};
  if (m.traveller.birth_date[5] == '0' && m.traveller.birth_date[6] == '0') m.traveller.birth_date[6] = '1';
  m.decision = rng() % 50 == 0 ? "refer" : "admit";
  m.inspector = "insp-" + digits(3);
  m.checks = {"pass", 6, 0, 0, 1};
  return m;
}

json outbox_status_json(const OutboxStatus& s) {
  return {{"station", s.station},   {"last_seq", s.last_seq},         {"acknowledged", s.acknowledged},
          {"pending", s.pending},   {"oldest_pending", s.oldest_pending}, {"last_contact", s.last_contact},
          {"last_error", s.last_error}};
}

}  // namespace

void add_pki_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto* pki_cmd = app.add_subcommand("pki", "Directorate CA, central server and station certificates");
  pki_cmd->require_subcommand(1);
  struct Args {
    std::string ca, out_dir, name = "borderpost Directorate CA", id;
    std::vector<std::string> names;
    int days = 0;
  };
  auto args = std::make_shared<Args>();

  auto* init = pki_cmd->add_subcommand("init", "Create the directorate's certificate authority");
  init->add_option("--ca", args->ca, "Directory for the CA (ca.key, ca.crt, crl.pem, issued.json)")->required();
  init->add_option("--name", args->name, "The CA's name");
  init->add_option("--days", args->days, "Validity in days (default 3650)");
  init->callback(guarded(err, exit_code, "pki init", [args, &out] {
    pki::create_authority(args->ca, args->name, args->days > 0 ? args->days : 3650);
    out << "created the certificate authority in " << args->ca << " (keep ca.key offline)\n";
    return 0;
  }));

  auto* server = pki_cmd->add_subcommand("server", "Issue the central office's TLS server certificate");
  server->add_option("--ca", args->ca, "The CA directory")->required();
  server->add_option("--out", args->out_dir, "Where to write server.crt, server.key and ca.crt")->required();
  server->add_option("--name", args->names, "Host name or IP address of the central office (repeatable)")->required();
  server->add_option("--days", args->days, "Validity in days (default 825)");
  server->callback(guarded(err, exit_code, "pki server", [args, &out] {
    pki::issue_server(args->ca, args->out_dir, args->names, args->days > 0 ? args->days : 825);
    out << "issued the server certificate for " << args->names.front() << " into " << args->out_dir << "\n";
    return 0;
  }));

  auto* station = pki_cmd->add_subcommand("station", "Issue a post's TLS certificate and record-signing key");
  station->add_option("--ca", args->ca, "The CA directory")->required();
  station->add_option("--out", args->out_dir, "Where to write station.crt/.key, signing.crt/.key and ca.crt")->required();
  station->add_option("--id", args->id, "Station id, e.g. PE-TUMBES-01")->required();
  station->add_option("--days", args->days, "Validity in days (default 825)");
  station->callback(guarded(err, exit_code, "pki station", [args, &out] {
    pki::issue_station(args->ca, args->out_dir, args->id, args->days > 0 ? args->days : 825);
    out << "issued the certificates of station " << args->id << " into " << args->out_dir << "\n";
    return 0;
  }));

  auto* revoke = pki_cmd->add_subcommand("revoke", "Revoke every certificate of a station and rewrite crl.pem");
  revoke->add_option("--ca", args->ca, "The CA directory")->required();
  revoke->add_option("--id", args->id, "Station id")->required();
  revoke->callback(guarded(err, exit_code, "pki revoke", [args, &out] {
    const int n = pki::revoke_station(args->ca, args->id);
    out << "revoked " << n << " certificate(s) of station " << args->id << "; crl.pem rewritten\n";
    return 0;
  }));

  auto* crl = pki_cmd->add_subcommand("crl", "Re-sign crl.pem with a fresh validity (run it before it expires)");
  crl->add_option("--ca", args->ca, "The CA directory")->required();
  crl->add_option("--days", args->days, "Validity in days (default 30)");
  crl->callback(guarded(err, exit_code, "pki crl", [args, &out] {
    pki::refresh_crl(args->ca, args->days > 0 ? args->days : 30);
    out << "crl.pem re-signed\n";
    return 0;
  }));
}

void add_sync_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto* sync_cmd = app.add_subcommand("sync", "The post's outbox of movement records and its upload");
  sync_cmd->require_subcommand(1);
  struct Args {
    std::string db, station, credentials, central = "127.0.0.1:8443", server_name;
    int count = 1;
    std::size_t batch = 500;
    unsigned seed = 1;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto common = [args](CLI::App* cmd) {
    cmd->add_option("--db", args->db, "The station's SQLite database")->required();
    cmd->add_option("--station", args->station, "Station id")->required();
    cmd->add_option("--credentials", args->credentials, "Directory from `borderpost pki station`")->required();
  };
  auto open_outbox = [args](sqlite::Connection& db) {
    return Outbox(db.get(), args->station, SigningKey::load(Credentials{args->credentials}.path("signing.key")));
  };

  auto* produce = sync_cmd->add_subcommand("produce", "Record synthetic movements (testing the chain without a station)");
  common(produce);
  produce->add_option("--count", args->count, "How many movements")->check(CLI::Range(1, 100'000'000));
  produce->add_option("--seed", args->seed, "Random seed");
  produce->callback(guarded(err, exit_code, "sync produce", [args, open_outbox, &out] {
    sqlite::Connection db(args->db);
    auto outbox = open_outbox(db);
    std::mt19937 rng(args->seed);
    constexpr int kPerTransaction = 1000;
    for (int done = 0; done < args->count;) {
      sqlite::Transaction transaction(db.get());
      for (int i = 0; i < kPerTransaction && done < args->count; ++i, ++done) outbox.append(random_movement(rng), now());
      transaction.commit();
    }
    out << "recorded " << args->count << " movements; " << outbox.status().pending << " waiting to sync\n";
    return 0;
  }));

  auto* push = sync_cmd->add_subcommand("push", "Upload every waiting record to the central office now");
  common(push);
  push->add_option("--central", args->central, "HOST:PORT of the central office");
  push->add_option("--server-name", args->server_name, "Name the server certificate must carry (default: HOST)");
  push->add_option("--batch", args->batch, "Records per batch")->check(CLI::Range(1, 20'000));
  push->add_flag("--json", args->json, "Machine-readable output");
  push->callback(guarded(err, exit_code, "sync push", [args, open_outbox, &out, &err] {
    sqlite::Connection db(args->db);
    auto outbox = open_outbox(db);
    const auto colon = args->central.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("--central must be HOST:PORT");
    const Credentials c{args->credentials};
    UploaderConfig config{args->central.substr(0, colon), args->central.substr(colon + 1), args->server_name,
                          c.path("ca.crt"), c.path("station.crt"), c.path("station.key"), c.path("signing.crt"), args->batch};
    StationWatchlist watchlist(db.get());
    const auto report = Uploader(config, outbox, &watchlist).upload();
    if (args->json) {
      out << json{{"batches", report.batches}, {"accepted", report.accepted}, {"duplicates", report.duplicates},
                  {"stored_through", report.stored_through}, {"pending", report.pending},
                  {"watchlist_changes", report.watchlist_changes}, {"watchlist_version", report.watchlist_version},
                  {"error", report.error}}
                 .dump()
          << "\n";
    } else {
      out << "sent " << report.batches << " batch(es): " << report.accepted << " stored, " << report.duplicates
          << " already stored; " << report.pending << " still waiting\n";
      out << "watch-list: " << report.watchlist_changes << " change(s) applied, now at version " << report.watchlist_version << "\n";
      if (!report.error.empty()) err << "borderpost sync push: " << report.error << "\n";
    }
    return report.error.empty() ? 0 : 1;
  }));

  auto* status = sync_cmd->add_subcommand("status", "What waits in the outbox and how the last upload went");
  common(status);
  status->add_flag("--json", args->json, "Machine-readable output");
  status->callback(guarded(err, exit_code, "sync status", [args, open_outbox, &out] {
    sqlite::Connection db(args->db);
    const auto s = open_outbox(db).status();
    const StationWatchlist watchlist(db.get());
    if (args->json) {
      auto j = outbox_status_json(s);
      j["watchlist_version"] = watchlist.version();
      j["watchlist_entries"] = watchlist.size();
      out << j.dump() << "\n";
    } else {
      out << "station " << s.station << ": " << s.last_seq << " records, " << s.acknowledged << " stored centrally, "
          << s.pending << " waiting" << (s.pending ? " since " + s.oldest_pending : std::string()) << "\n";
      out << "last contact: " << (s.last_contact.empty() ? "never" : s.last_contact)
          << (s.last_error.empty() ? "" : "; last error: " + s.last_error) << "\n";
      out << "watch-list: version " << watchlist.version() << ", " << watchlist.size() << " entries\n";
    }
    return 0;
  }));
}

namespace {

// The store config/central.toml names, for one command (one connection is plenty).
std::unique_ptr<CentralStore> open_central_store(const std::string& config_path) {
  const auto config = load_central_config(config_path);
  return open_store(config.backend, config.sqlite_path, config.postgresql, 1);
}

}  // namespace

void add_central_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto* central = app.add_subcommand("central", "The central office's records");
  central->require_subcommand(1);
  struct Args {
    std::string config;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* verify = central->add_subcommand("verify", "Re-verify every stored chain: sequence, hashes, links, signatures");
  verify->add_option("--config", args->config, "config/central.toml")->required();
  verify->add_flag("--json", args->json, "Machine-readable output");
  verify->callback(guarded(err, exit_code, "central verify", [args, &out] {
    auto store = open_central_store(args->config);
    const auto audit = audit_chains(*store);
    if (args->json) {
      out << json{{"stations", audit.stations}, {"records", audit.records}, {"problems", audit.problems}}.dump() << "\n";
    } else {
      out << audit.records << " records of " << audit.stations << " station(s) checked: "
          << (audit.problems.empty() ? "all chains intact" : std::to_string(audit.problems.size()) + " problem(s)") << "\n";
      for (const auto& p : audit.problems) out << "  " << p << "\n";
    }
    return audit.problems.empty() ? 0 : 1;
  }));

  struct ReportArgs {
    std::string from, to, post, format = "csv";
  };
  auto report_args = std::make_shared<ReportArgs>();
  auto* report = central->add_subcommand("report", "Crossings by post, local day, direction, nationality, sex and age band");
  report->add_option("--config", args->config, "config/central.toml")->required();
  report->add_option("--from", report_args->from, "First day, YYYY-MM-DD")->required();
  report->add_option("--to", report_args->to, "Last day, YYYY-MM-DD (inclusive)")->required();
  report->add_option("--post", report_args->post, "Only this station id");
  report->add_option("--format", report_args->format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  report->callback(guarded(err, exit_code, "central report", [args, report_args, &out] {
    for (const auto* day : {&report_args->from, &report_args->to})
      if (!is_iso_date(*day)) throw std::invalid_argument("--from and --to must be dates YYYY-MM-DD");
    auto store = open_central_store(args->config);
    const ReportQuery query{report_args->from, report_args->to, report_args->post};
    const auto rows = store->crossings(query);
    out << (report_args->format == "json" ? report_json(query, rows) + "\n" : report_csv(rows));
    return 0;
  }));

  struct WatchlistArgs {
    std::string id, document, issuer, surname, given_names, birth_date, nationality, reason;
  };
  auto wl = std::make_shared<WatchlistArgs>();
  auto* watch = central->add_subcommand("watchlist", "The watch-list the posts pull after each upload");
  watch->require_subcommand(1);
  auto* add = watch->add_subcommand("add", "List a lost or stolen document (--document) or a person (--surname ...)");
  add->add_option("--config", args->config, "config/central.toml")->required();
  auto* by_document = add->add_option("--document", wl->document, "Document number");
  add->add_option("--issuer", wl->issuer, "Issuing state of the document (ICAO code; default: any)")->needs(by_document);
  auto* by_person = add->add_option("--surname", wl->surname, "Surname, as in the MRZ (A-Z, spaces)")->excludes(by_document);
  add->add_option("--given-names", wl->given_names, "Given names")->needs(by_person);
  add->add_option("--birth-date", wl->birth_date, "YYYY-MM-DD")->needs(by_person);
  add->add_option("--nationality", wl->nationality, "ICAO code")->needs(by_person);
  add->add_option("--reason", wl->reason, "What the inspector should know")->required();
  add->callback(guarded(err, exit_code, "central watchlist add", [args, wl, &out] {
    if (wl->document.empty() && wl->surname.empty()) throw std::invalid_argument("give --document or --surname");
    auto store = open_central_store(args->config);
    WatchlistEntry entry{random_uuid(), wl->document.empty() ? WatchlistKind::Person : WatchlistKind::Document, wl->document, wl->issuer, wl->surname,
                         wl->given_names, wl->birth_date, wl->nationality, wl->reason};
    const auto version = store->watchlist_change("add", entry, now().utc);
    out << "listed " << to_string(entry.kind) << " " << entry.id << " (watch-list version " << version << ")\n";
    return 0;
  }));
  auto* remove = watch->add_subcommand("remove", "Take an entry off the watch-list");
  remove->add_option("--config", args->config, "config/central.toml")->required();
  remove->add_option("--id", wl->id, "The entry's id (see list)")->required();
  remove->callback(guarded(err, exit_code, "central watchlist remove", [args, wl, &out] {
    auto store = open_central_store(args->config);
    const auto version = store->watchlist_change("remove", watchlist_removal(wl->id), now().utc);
    out << "removed " << wl->id << " (watch-list version " << version << ")\n";
    return 0;
  }));
  auto* list = watch->add_subcommand("list", "The entries listed now");
  list->add_option("--config", args->config, "config/central.toml")->required();
  list->add_flag("--json", args->json, "Machine-readable output");
  list->callback(guarded(err, exit_code, "central watchlist list", [args, &out] {
    auto store = open_central_store(args->config);
    const auto entries = store->watchlist_entries();
    if (args->json) {
      out << encode_watchlist_entries(entries) << "\n";
    } else {
      out << entries.size() << " entries\n";
      for (const auto& e : entries)
        out << "  " << e.id << "  " << to_string(e.kind) << "  "
            << (e.kind == WatchlistKind::Document ? e.document_number + (e.issuer.empty() ? "" : " (" + e.issuer + ")")
                                     : e.surname + ", " + e.given_names + " " + e.birth_date + " " + e.nationality)
            << "  " << e.reason << "\n";
    }
    return 0;
  }));

  auto* status = central->add_subcommand("status", "Per-station last sequence, last contact, and tamper alerts");
  status->add_option("--config", args->config, "config/central.toml")->required();
  status->add_flag("--json", args->json, "Machine-readable output");
  status->callback(guarded(err, exit_code, "central status", [args, &out] {
    auto store = open_central_store(args->config);
    const auto stations = store->stations();
    const auto alerts = store->alerts();
    if (args->json) {
      json j = {{"stations", json::array()}, {"alerts", json::array()}, {"records", store->record_count()}};
      for (const auto& s : stations)
        j["stations"].push_back({{"station", s.station}, {"last_seq", s.last_seq}, {"last_contact", s.last_contact},
                                 {"newest_record", s.newest_record}, {"reported_head", s.reported_head}, {"backlog", s.backlog()}});
      for (const auto& a : alerts) j["alerts"].push_back({{"station", a.station}, {"raised_at", a.raised_at}, {"detail", a.detail}});
      out << j.dump() << "\n";
    } else {
      out << store->record_count() << " records from " << stations.size() << " station(s)\n";
      for (const auto& s : stations)
        out << "  " << s.station << ": through " << s.last_seq << ", backlog " << s.backlog() << " (as of the last contact), last contact "
            << (s.last_contact.empty() ? "never" : s.last_contact) << "\n";
      for (const auto& a : alerts) out << "  TAMPER ALERT " << a.station << " at " << a.raised_at << ": " << a.detail << "\n";
    }
    return 0;
  }));
}

}  // namespace borderpost::sync::cli
