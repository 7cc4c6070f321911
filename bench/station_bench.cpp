// Station daemon benchmarks: scan-to-verdict, the durable movement write, the daily log on a store
// of millions of movements, and the daemon's resident memory over thousands of scans.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "mrz/mrz.hpp"
#include "mrz_optical/read.hpp"
#include "accounts/accounts.hpp"
#include "inspection/inspection.hpp"
#include "web/local_client.hpp"
#include "store/store.hpp"
#include "sync/crypto.hpp"
#include "sync/outbox.hpp"
#include "sync/sqlite.hpp"
#include "sync/station_watchlist.hpp"
#include "typed_mrz.hpp"

namespace {

namespace fs = std::filesystem;
namespace station = borderpost::station;
namespace sync = borderpost::sync;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using borderpost::test::typed_td3;

constexpr const char* kStationId = "PE-BENCH-01";
const std::chrono::year_month_day kPinnedDay{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{23}};

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

// --- figures ---

struct Summary {
  std::size_t n = 0;
  double median = 0, p95 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles.
Summary summarize(std::vector<double> values) {
  Summary s;
  s.n = values.size();
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  auto rank = [&](double p) {
    const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, k == 0 ? 0 : k - 1)];
  };
  s.median = rank(0.50);
  s.p95 = rank(0.95);
  s.p99 = rank(0.99);
  s.max = values.back();
  return s;
}

std::string fixed(double value, int digits = 1) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void table_header(const std::string& title) {
  std::cout << "\n" << title << "\n\n"
            << "| measurement | n | median | p95 | p99 | max | target | result |\n"
            << "|---|---:|---:|---:|---:|---:|---|---|\n";
}

// One row in milliseconds; `target` names the statistic it is checked on, `pass` is the verdict ("" = no target).
void row(const std::string& what, const Summary& s, const std::string& target, std::optional<bool> pass, int digits = 1) {
  std::cout << "| " << what << " | " << s.n << " | " << fixed(s.median, digits) << " ms | " << fixed(s.p95, digits) << " ms | "
            << fixed(s.p99, digits) << " ms | " << fixed(s.max, digits) << " ms | " << (target.empty() ? "-" : target) << " | "
            << (pass ? (*pass ? "PASS" : "MISS") : "-") << " |" << std::endl;
}

void note(const std::string& text) { std::cout << "| " << text << " | | | | | | | |" << std::endl; }

void progress(const std::string& text) { std::cerr << "[bench_station] " << text << std::endl; }

// --- fixtures shared by the parts ---

std::vector<unsigned char> file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void remove_database(const fs::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path.string() + suffix);
}

// Sample 01's passport, as its MRZ reads.
constexpr const char* kPeruvianPassportMrz =
    "P<PERQUISPE<MAMANI<<ROSA<ELENA<<<<<<<<<<<<<<\n1184523679PER8803148F310609545128763<<<<<<04";

// An admitted movement of `document` as the daemon drafts it for the store (inspector insp-01).
station::MovementDraft admitted(const mrz::Document& document, const std::string& direction, const std::string& verdict,
                                std::string local_date) {
  station::MovementDraft draft;
  draft.movement = station::movement_fields(document);
  draft.movement.direction = direction;
  draft.movement.decision = "admit";
  draft.movement.inspector = "insp-01";
  draft.movement.checks.verdict = verdict;
  draft.local_date = std::move(local_date);
  return draft;
}

// A part's own post database, started afresh: the store and the outbox its movements go to.
struct FreshPostDatabase {
  explicit FreshPostDatabase(const fs::path& path) : store((remove_database(path), path.string())), outbox(store.db(), kStationId, key.share()) {}
  station::Store store;
  sync::SigningKey key = sync::SigningKey::generate();
  sync::Outbox outbox;
};

// A syllable name, different for every n (watch-list persons that match nobody in the samples).
std::string made_up_name(std::uint64_t n, int syllables) {
  static const char* const kSyllables[] = {"KA", "LO", "MI", "RU", "TE", "SAN", "VI", "DO", "NE", "QUI", "BA", "ZU", "PE", "GOR", "FI", "HA"};
  std::string name;
  for (int i = 0; i < syllables; ++i) {
    name += kSyllables[n % 16];
    n = n / 16 + 7 * static_cast<std::uint64_t>(i + 1);
  }
  return name;
}

sync::WatchlistEntry listed_document(std::string number, std::string issuer, std::string reason) {
  sync::WatchlistEntry e;
  e.kind = sync::WatchlistKind::Document;
  e.document_number = std::move(number);
  e.issuer = std::move(issuer);
  e.reason = std::move(reason);
  return e;
}

sync::WatchlistEntry listed_person(std::string surname, std::string given_names, std::string birth_date, std::string nationality,
                                   std::string reason) {
  sync::WatchlistEntry e;
  e.kind = sync::WatchlistKind::Person;
  e.surname = std::move(surname);
  e.given_names = std::move(given_names);
  e.birth_date = std::move(birth_date);
  e.nationality = std::move(nationality);
  e.reason = std::move(reason);
  return e;
}

// The post's watch-list: the two entries the samples expect to hit, and `persons` more people.
void fill_watchlist(sqlite3* db, int persons) {
  sync::StationWatchlist watchlist(db);
  if (watchlist.size() > 0) return;
  std::vector<sync::WatchlistChange> changes;
  std::uint64_t version = 0;
  auto add = [&](sync::WatchlistEntry e) {
    e.id = sync::random_uuid();
    changes.push_back({++version, "add", std::move(e)});
  };
  add(listed_document("FX482913", "BRA", "stolen"));
  add(listed_person("MUELLER SCHULTZ", "KARIN ANDREA", "1983-08-19", "CHL", "arrest warrant: refer to the second line"));
  static const char* const kStates[] = {"PER", "ECU", "COL", "BOL", "CHL", "ARG", "BRA", "VEN", ""};
  for (int i = 0; i < persons; ++i) {
    const std::string birth_date =
        i % 3 == 0 ? "" : std::to_string(1950 + i % 55) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9);
    add(listed_person(made_up_name(static_cast<std::uint64_t>(i) * 2654435761u, 3) + " " + made_up_name(static_cast<std::uint64_t>(i) * 40503u + 11, 2),
                      made_up_name(static_cast<std::uint64_t>(i) * 97u + 5, 2), birth_date, kStates[i % 9], "notice " + std::to_string(i)));
  }
  watchlist.apply(changes);
}

// The sample documents the optical reader reads (samples.toml says read = valid|needs_review|invalid).
std::vector<std::string> readable_samples(const fs::path& samples_dir) {
  std::ifstream in(samples_dir / "samples.toml");
  std::vector<std::string> names;
  std::string line, name;
  auto value = [](const std::string& l) {
    const auto a = l.find('"'), b = l.rfind('"');
    return a == std::string::npos || b <= a ? std::string() : l.substr(a + 1, b - a - 1);
  };
  while (std::getline(in, line)) {
    if (line.rfind("name = ", 0) == 0) name = value(line);
    if (line.rfind("read = ", 0) == 0 && value(line) != "not-found" && !name.empty()) names.push_back(name);
  }
  if (names.empty()) throw std::runtime_error("no readable sample in " + (samples_dir / "samples.toml").string());
  return names;
}

// --- the real daemon, as a child process ---

class Daemon {
 public:
  // A throw-away post in `dir`: a copy of the simulated reader's profile without its capture delay,
  // the samples of this repository, the pinned reference day, any free port; the watch-list filled
  // as for the in-process runs.
  // `data` replaces the post's fresh data directory with an existing one (its watch-list untouched).
  Daemon(const fs::path& dir, const std::string& bin, const fs::path& source, int watchlist_persons, const fs::path& data = {})
      : dir_(dir) {
    fs::remove_all(dir);
    fs::create_directories(dir / "data");
    const fs::path data_dir = data.empty() ? dir / "data" : fs::absolute(data);
    std::ifstream profile_in(source / "hw-profiles" / "simulated-page-reader.toml");
    std::ofstream profile(dir / "page-reader.toml");
    for (std::string line; std::getline(profile_in, line);)
      profile << (line.rfind("capture_delay_ms", 0) == 0 ? std::string("capture_delay_ms = 0") : line) << "\n";
    profile.close();
    std::ofstream(dir / "station.toml") << "data_dir = \"" << data_dir.string() << "\"\n[post]\nstation_id = \"" << kStationId
                                        << "\"\nname = \"Benchmark post\"\ncountry = \"PER\"\ntime_zone = \"America/Lima\"\n"
                                           "pinned_date = \"2026-11-23\"\n[devices]\npage_reader = \""
                                        << (dir / "page-reader.toml").string() << "\"\nsamples = \""
                                        << (source / "config" / "samples").string() << "\"\n[api]\nport = 0\n"
                                        << "[accounts]\npassword_memory_kib = 256\npassword_passes = 1\n";
    {
      station::Store store((data_dir / "station.db").string());
      if (data.empty()) fill_watchlist(store.db(), watchlist_persons);
      station::Accounts accounts(store.db(), {1, 256, 1});
      if (!accounts.find(kInspector)) accounts.add(kInspector, "Bench Inspector", station::Role::Supervisor, kPassword);
    }
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const std::string config = (dir / "station.toml").string();
    const std::string log = (dir / "station.log").string();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) ::dup2(err, 2);
      ::execl(bin.c_str(), bin.c_str(), "--config", config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    port_ = wait_for_port();
  }
  // A client logged in as the benchmark's inspector (a supervisor, so any day's log is open).
  station::StationClient client() const {
    station::StationClient c(port_);
    const auto login = c.login(kInspector, kPassword);
    if (login.status != 200) throw std::runtime_error("cannot log in to the daemon: " + login.body.dump() + login.error);
    return c;
  }
  static constexpr const char* kInspector = "insp-01";
  static constexpr const char* kPassword = "bench passphrase 01";

  ~Daemon() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      const auto deadline = Clock::now() + std::chrono::seconds(15);
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (Clock::now() > deadline) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    if (out_ >= 0) ::close(out_);
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  // VmRSS or VmHWM from /proc/PID/status, in kB.
  long memory_kb(const std::string& field = "VmRSS") const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(in, line);)
      if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    return -1;
  }

 private:
  unsigned short wait_for_port() {
    std::string seen;
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    const std::string prefix = "listening on port ";
    while (Clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 200) > 0) {
        char buffer[1024];
        const auto n = ::read(out_, buffer, sizeof buffer);
        if (n <= 0) break;
        seen.append(buffer, static_cast<std::size_t>(n));
        const auto at = seen.find(prefix);
        if (at != std::string::npos && seen.find('\n', at) != std::string::npos)
          return static_cast<unsigned short>(std::stoi(seen.substr(at + prefix.size())));
      }
    }
    throw std::runtime_error(std::string("the daemon did not start (see ").append((dir_ / "station.log").string()).append(")"));
  }

  fs::path dir_;
  pid_t pid_ = -1;
  int out_ = -1;
  unsigned short port_ = 0;
};

// One scan through the API: place the sample, wait for its verdict. Returns the checks-done event.
std::optional<json> scan(const station::StationClient& client, station::EventFeed& feed, const std::string& sample) {
  const auto placed = client.post("/api/simulator/place", {{"sample", sample}});
  if (placed.status != 202) throw std::runtime_error("place " + sample + ": HTTP " + std::to_string(placed.status) + " " + placed.body.dump() + placed.error);
  return feed.wait_for("checks-done", std::chrono::seconds(30));
}

void take_away(const station::StationClient& client, station::EventFeed& feed) {
  client.post("/api/simulator/remove", json::object());
  feed.wait_for("document-removed", std::chrono::seconds(10));
}


struct Options {
  std::vector<std::string> parts{"scan", "write", "log", "memory"};
  int runs = 200, writes = 2000, api_writes = 500, queries = 50, scans = 10'000, watchlist_persons = 1000;
  std::uint64_t movements = 10'000'000;
  fs::path data_dir = BORDERPOST_BINARY_DIR "/bench-data";
  fs::path source = BORDERPOST_SOURCE_DIR;
  std::string station_bin = BORDERPOST_STATION_BIN;
  bool keep = false;
};

// --- part 1: scan to verdict ---

struct ScanSample {
  std::string label, name;
};
const ScanSample kScanSamples[] = {{"TD3 passport page, 300 dpi (01-passport-peru)", "01-passport-peru"},
                                   {"TD1 card, 300 dpi (02-id-card-argentina)", "02-id-card-argentina"}};

void scan_to_verdict(const Options& o) {
  const fs::path dir = o.data_dir / "scan";
  fs::create_directories(dir);
  FreshPostDatabase post(dir / "scan.db");
  auto& [store, key, outbox] = post;
  fill_watchlist(store.db(), o.watchlist_persons);
  sync::StationWatchlist watchlist(store.db());
  const station::Rules rules;
  const mrz::optical::Reader reader;
  mrz::optical::ReadOptions read_options;
  read_options.time_budget_ms = 400;  // the daemon's default [reading] time_budget_ms
  read_options.parse.as_of = kPinnedDay;

  // The Peruvian passport left the country in October: movement.sequence has a movement to check against.
  {
    const auto doc = mrz::parse(std::string(kPeruvianPassportMrz));
    auto draft = admitted(doc, "exit", "pass", "2026-10-02");
    draft.mrz_lines = doc.lines;
    draft.local_time = "10:00:00";
    store.record(draft, outbox, sync::now(), "insp-01");
  }

  table_header(std::string("Scan to verdict (target: median <= 150 ms for a TD3 page at 300 dpi), one core, watch-list of ")
                   .append(with_commas(static_cast<std::uint64_t>(o.watchlist_persons) + 2))
                   .append(" entries"));
  for (const auto& sample : kScanSamples) {
    const auto bytes = file_bytes(o.source / "config" / "samples" / sample.name / "white.jpg");
    std::vector<double> total, read_ms, checks_ms;
    std::string status, verdict;
    for (int i = -3; i < o.runs; ++i) {  // three warm-up runs
      const auto start = Clock::now();
      const auto result = reader.read_encoded(bytes, read_options);
      const double read_done = ms_since(start);
      if (result.status != mrz::optical::ReadStatus::Valid && result.status != mrz::optical::ReadStatus::NeedsReview)
        throw std::runtime_error(sample.name + ": the reader says " + std::string(mrz::optical::to_string(result.status)));
      const auto& doc = result.mrz.document;
      station::InspectionFacts facts;
      facts.document = doc;
      facts.source = station::MrzSource::Optical;
      facts.optical_needs_review = result.status == mrz::optical::ReadStatus::NeedsReview;
      facts.uncertain_fields = result.mrz.uncertain_fields;
      facts.crossing_date = kPinnedDay;
      facts.direction = station::Direction::entry;
      facts.previous = store.previous_movement(doc.document_number.value, doc.issuing_state.value);
      facts.document_hits = watchlist.documents(doc.document_number.value, doc.issuing_state.value);
      facts.watchlist_persons = watchlist.persons();
      const auto v = station::inspect(facts, rules);
      const double all = ms_since(start);
      if (i < 0) continue;
      total.push_back(all);
      read_ms.push_back(read_done);
      checks_ms.push_back(all - read_done);
      status = std::string(mrz::optical::to_string(result.status));
      verdict = std::string(station::to_string(v.overall));
    }
    const bool td3 = sample.name == "01-passport-peru";
    const auto s = summarize(total);
    row(sample.label + ": read + checks, in process", s, td3 ? "median <= 150 ms" : "", td3 ? std::optional<bool>(s.median <= 150) : std::nullopt);
    row("  of which optical read (" + status + ")", summarize(read_ms), "", std::nullopt);
    row("  of which facts + store lookup + inspect (" + verdict + ")", summarize(checks_ms), "", std::nullopt, 2);
  }

  // The same through the daemon: the sample placed by POST /api/simulator/place (capture delay 0),
  // the clock stopped when the checks-done event arrives on the WebSocket.
  progress("starting the daemon for place-to-verdict");
  Daemon daemon(o.data_dir / "daemon-scan", o.station_bin, o.source, o.watchlist_persons);
  const station::StationClient client = daemon.client();
  station::EventFeed feed(daemon.port(), client.cookie());
  for (const auto& sample : kScanSamples) {
    std::vector<double> total, daemon_read;
    int missed = 0;
    for (int i = -3; i < o.runs; ++i) {
      const auto start = Clock::now();
      const auto event = scan(client, feed, sample.name);
      const double ms = ms_since(start);
      if (!event) ++missed;
      else if (i >= 0) {
        total.push_back(ms);
        daemon_read.push_back((*event)["inspection"]["read"].value("elapsed_ms", 0.0));
      }
      take_away(client, feed);
    }
    const bool td3 = sample.name == "01-passport-peru";
    const auto s = summarize(total);
    row(sample.label + ": place-to-verdict via the API", s, td3 ? "median <= 150 ms" : "", td3 ? std::optional<bool>(s.median <= 150) : std::nullopt);
    row("  of which the daemon's optical read", summarize(daemon_read), "", std::nullopt);
    if (missed > 0) note(std::to_string(missed) + " placements gave no checks-done within 30 s");
  }
  if (!o.keep) fs::remove_all(o.data_dir / "daemon-scan");
}

// --- part 2: the durable movement write ---

void durable_write(const Options& o) {
  const fs::path dir = o.data_dir / "write";
  fs::create_directories(dir);
  FreshPostDatabase post(dir / "write.db");
  auto& [store, key, outbox] = post;

  // A decision as the daemon records it: the document's fields, the ten checks, three page images.
  station::InspectionFacts facts;
  mrz::ParseOptions parse_options;
  parse_options.as_of = kPinnedDay;
  facts.document = mrz::parse(std::string(kPeruvianPassportMrz), parse_options);
  facts.crossing_date = kPinnedDay;
  facts.direction = station::Direction::entry;
  const auto verdict = station::inspect(facts, station::Rules{});
  auto draft = admitted(facts.document, "entry", std::string(station::to_string(verdict.overall)), "2026-11-23");
  draft.movement.checks.passed = static_cast<int>(verdict.checks.size());
  draft.mrz_lines = facts.document.lines;
  draft.checks = verdict.checks;
  for (const char* light : {"white", "ir", "uv"})
    draft.images.push_back({light, std::string("captures/2026-11-23/").append(sync::random_uuid()).append("-").append(light).append(".jpg")});

  std::vector<double> times;
  for (int i = -20; i < o.writes; ++i) {
    char clock[16];
    std::snprintf(clock, sizeof clock, "%02d:%02d:%02d", 8 + (i + 20) / 3600 % 12, (i + 20) / 60 % 60, (i + 20) % 60);
    draft.local_time = clock;
    const auto start = Clock::now();
    store.record(draft, outbox, sync::now(), "insp-01");
    if (i >= 0) times.push_back(ms_since(start));
  }
  struct statfs fsinfo {};
  ::statfs(dir.c_str(), &fsinfo);
  const bool tmpfs = fsinfo.f_type == 0x01021994;
  table_header(std::string("Durable movement write (target: p99 <= 20 ms on this machine's disk); store in ")
                   .append(fs::absolute(dir).string())
                   .append(tmpfs ? " (TMPFS: not a disk, the figures mean nothing)" : " (on disk, not tmpfs)"));
  const auto s = summarize(times);
  row("Store::record: sign, movement + 10 checks + 3 images + audit, one transaction, WAL, synchronous=FULL", s, "p99 <= 20 ms",
      !tmpfs && s.p99 <= 20);

  // Through the daemon: a typed MRZ (POST /api/inspection/manual), then the decision timed from
  // the request to its 201 (no page images to write for a typed MRZ).
  progress("starting the daemon for decisions via the API");
  Daemon daemon(o.data_dir / "daemon-write", o.station_bin, o.source, o.watchlist_persons);
  const station::StationClient client = daemon.client();
  std::vector<double> api;
  for (int i = -10; i < o.api_writes; ++i) {
    const auto typed = client.post("/api/inspection/manual", {{"mrz", typed_td3(i + 10)}});
    if (typed.status != 200) throw std::runtime_error("manual entry: HTTP " + std::to_string(typed.status) + " " + typed.body.dump() + typed.error);
    const auto start = Clock::now();
    const auto decided = client.post("/api/inspection/decision", {{"decision", "admit"}});
    const double ms = ms_since(start);
    if (decided.status != 201) throw std::runtime_error("decision: HTTP " + std::to_string(decided.status) + " " + decided.body.dump() + decided.error);
    if (i >= 0) api.push_back(ms);
  }
  const auto a = summarize(api);
  row("POST /api/inspection/decision -> 201 (typed MRZ, no images), via the API", a, "p99 <= 20 ms", !tmpfs && a.p99 <= 20);
  if (!o.keep) fs::remove_all(o.data_dir / "daemon-write");
}

// --- part 3: the daily log on a large store ---

constexpr int kDays = 3652;               // ten years of local dates, 2016-11-24 .. 2026-11-23
constexpr int kDaysWithChecks = 30;       // the last month's movements carry their ten check rows
const std::string kQueryDayWithChecks = "2026-11-20";
const std::string kQueryDayOld = "2021-06-15";

std::string day_iso(int index) {  // index 0 = 2016-11-24
  using namespace std::chrono;
  const year_month_day d{sys_days{year_month_day{year{2016}, month{11}, day{24}}} + days{index}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return text;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64: cheap reproducible variety
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::optional<std::uint64_t> fixture_rows(const fs::path& path) {
  if (!fs::exists(path)) return std::nullopt;
  try {
    sync::sqlite::Connection c(path.string());
    sync::sqlite::Statement q(c.get(), "SELECT movements FROM bench_fixture WHERE complete = 1");
    if (q.step()) return static_cast<std::uint64_t>(q.integer(0));
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// A store of `count` movements spread over ten years, written the fast way (one connection,
// synchronous=OFF, no journal, big transactions, the by-document index built at the end): a
// fixture, not how the daemon writes. Every row's `record` column holds a copy of one real sealed
// record (the right size; `borderpost db check` would reject the chain). The check rows exist
// for the last 30 days only.
void build_fixture(const fs::path& path, std::uint64_t count) {
  std::string record_json;
  {
    FreshPostDatabase post(path);
    auto& [store, key, outbox] = post;
    auto draft = admitted(mrz::parse(std::string(kPeruvianPassportMrz)), "entry", "pass", "2016-11-24");
    draft.movement.checks.passed = 10;
    draft.local_time = "00:00:00";
    const auto stored = store.record(draft, outbox, sync::now(), "insp-01");
    sync::sqlite::Statement q(store.db(), "SELECT record FROM movements");
    q.step();
    record_json = q.text(0);
    sync::sqlite::exec(store.db(), "DELETE FROM movements; DELETE FROM sync_outbox; DELETE FROM audit;");
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + path.string());
  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close(db); }
  } closer{db};
  sync::sqlite::exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;"
                         "DROP INDEX movements_by_document;");
  sync::sqlite::Statement insert(db,
                                 "INSERT INTO movements(uuid, seq, recorded_at, local_date, local_time, utc_offset, direction, decision,"
                                 " refusal_reason, note, companion, inspector, mrz_source, mrz_lines, doc_format, doc_code, issuer,"
                                 " doc_number, expiry, surname, given_names, nationality, birth_date, sex, verdict, alerts, corrects, record)"
                                 " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,?)");
  sync::sqlite::Statement check(db,
                                "INSERT INTO movement_checks(movement_id, position, check_id, status, reason, measurement, alert)"
                                " VALUES (?,?,?,?,?,?,?)");
  static const char* const kCheckIds[] = {"mrz.valid", "mrz.legible", "document.expired", "document.expires_soon", "document.code_known",
                                          "traveller.minor", "watchlist.document", "watchlist.person", "movement.sequence", "stay.overstay"};
  static const char* const kStates[] = {"PER", "PER", "PER", "PER", "ECU", "ECU", "ECU", "COL", "COL", "BOL", "CHL", "ARG", "VEN", "BRA", "USA", "ESP"};
  static const char* const kSurnames[] = {"QUISPE", "MAMANI", "FLORES", "GARCIA", "RODRIGUEZ", "TORRES", "CHAVEZ", "RAMIREZ", "VARGAS", "CASTILLO",
                                          "ROJAS", "MENDOZA", "GONZALEZ", "LOPEZ", "HUAMAN", "SANCHEZ"};
  static const char* const kGiven[] = {"ROSA ELENA", "JUAN CARLOS", "MARIA", "LUIS ALBERTO", "ANA LUCIA", "JOSE", "CARMEN", "JORGE LUIS",
                                       "SOFIA", "MIGUEL ANGEL", "ISABEL", "PEDRO", "LUCIA", "DIEGO", "VALERIA", "ANDRES"};
  const auto start = Clock::now();
  std::uint64_t id = 0;
  const int first_checks_day = kDays - kDaysWithChecks;
  sync::sqlite::exec(db, "BEGIN");
  for (int d = 0; d < kDays; ++d) {
    const std::string date = day_iso(d);
    const std::uint64_t today = count / kDays + (static_cast<std::uint64_t>(d) < count % kDays ? 1 : 0);
    for (std::uint64_t j = 0; j < today; ++j) {
      ++id;
      const std::uint64_t h = mix(id), h2 = mix(h);
      const auto second = static_cast<int>(j * 86'400 / today);
      char local_time[16], recorded_at[64], uuid[64], number[32], mrz_lines[128];
      std::snprintf(local_time, sizeof local_time, "%02d:%02d:%02d", second / 3600, second / 60 % 60, second % 60);
      // UTC is five hours ahead of Lima; the date of the small hours is left as the local one (a fixture).
      std::snprintf(recorded_at, sizeof recorded_at, "%sT%02d:%02d:%02d.000Z", date.c_str(), (second / 3600 + 5) % 24, second / 60 % 60, second % 60);
      // Time-ordered ids keep the unique index appending, as real ids written day by day would not: a fixture.
      std::snprintf(uuid, sizeof uuid, "%08llx-%04llx-4%03llx-8%03llx-%012llx", static_cast<unsigned long long>(id >> 16),
                    static_cast<unsigned long long>(id & 0xffff), static_cast<unsigned long long>(h & 0xfff),
                    static_cast<unsigned long long>((h >> 12) & 0xfff), static_cast<unsigned long long>((h >> 24) & 0xffffffffffffULL));
      std::snprintf(number, sizeof number, "%c%c%07llu", 'A' + static_cast<char>(h2 % 26), 'A' + static_cast<char>((h2 >> 8) % 26),
                    static_cast<unsigned long long>((h2 >> 16) % 10'000'000));
      const char* state = kStates[h % 16];
      const char* surname = kSurnames[(h >> 8) % 16];
      const char* given = kGiven[(h >> 16) % 16];
      std::snprintf(mrz_lines, sizeof mrz_lines, "P<%s%s<<%s<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", state, surname, given);
      std::string lines = std::string(mrz_lines).substr(0, 44);
      std::replace(lines.begin(), lines.end(), ' ', '<');
      lines.append("\n").append(number).append("<0").append(state).append("8803148F3106095<<<<<<<<<<<<<<04");
      const auto dice = (h >> 24) % 100;
      const char* decision = dice < 97 ? "admit" : dice < 98 ? "refuse" : "refer";
      const auto verdict_dice = (h >> 32) % 100;
      const char* verdict = verdict_dice < 90 ? "pass" : verdict_dice < 98 ? "warn" : "fail";
      char inspector[16];
      std::snprintf(inspector, sizeof inspector, "insp-%02d", static_cast<int>(1 + (second / 28'800) * 4 + (h >> 40) % 4));
      int c = 0;
      insert.bind(++c, std::string_view(uuid));
      insert.bind(++c, static_cast<std::int64_t>(id));
      insert.bind(++c, std::string_view(recorded_at));
      insert.bind(++c, std::string_view(date));
      insert.bind(++c, std::string_view(local_time));
      insert.bind(++c, std::int64_t{-300});
      insert.bind(++c, std::string_view((h >> 48) % 2 ? "entry" : "exit"));
      insert.bind(++c, std::string_view(decision));
      insert.bind(++c, std::string_view(dice == 97 ? "A" : ""));
      insert.bind(++c, std::string_view(""));
      insert.bind(++c, std::string_view(""));
      insert.bind(++c, std::string_view(inspector));
      insert.bind(++c, std::string_view((h >> 50) % 20 == 0 ? "typed" : "optical"));
      insert.bind(++c, std::string_view(lines));
      insert.bind(++c, std::string_view("TD3"));
      insert.bind(++c, std::string_view("P"));
      insert.bind(++c, std::string_view(state));
      insert.bind(++c, std::string_view(number));
      insert.bind(++c, std::string_view("2031-06-09"));
      insert.bind(++c, std::string_view(surname));
      insert.bind(++c, std::string_view(given));
      insert.bind(++c, std::string_view(state));
      insert.bind(++c, std::string_view("1988-03-14"));
      insert.bind(++c, std::string_view((h >> 52) % 2 ? "F" : "M"));
      insert.bind(++c, std::string_view(verdict));
      insert.bind(++c, std::int64_t{verdict_dice >= 98 ? 1 : 0});
      insert.bind(++c, std::string_view(record_json));
      insert.run();
      if (d >= first_checks_day) {
        for (int p = 0; p < 10; ++p) {
          check.bind(1, static_cast<std::int64_t>(id)).bind(2, std::int64_t{p}).bind(3, std::string_view(kCheckIds[p]));
          check.bind(4, std::string_view("pass")).bind(5, std::string_view("Every check of this kind passes.")).bind(6, std::string_view(""));
          check.bind(7, std::int64_t{0}).run();
        }
      }
      if (id % 200'000 == 0) {
        sync::sqlite::exec(db, "COMMIT; BEGIN");
        progress("fixture: " + with_commas(id) + " of " + with_commas(count) + " movements, " + fixed(ms_since(start) / 1000, 0) + " s");
      }
    }
  }
  sync::sqlite::exec(db, "COMMIT");
  progress("fixture: building the by-document index");
  sync::sqlite::exec(db, "CREATE INDEX movements_by_document ON movements(doc_number, issuer, id);"
                         "CREATE TABLE bench_fixture(movements INTEGER NOT NULL, complete INTEGER NOT NULL);");
  sync::sqlite::Statement done(db, "INSERT INTO bench_fixture VALUES (?, 1)");
  done.bind(1, static_cast<std::int64_t>(count)).run();
  sync::sqlite::exec(db, "PRAGMA journal_mode=WAL");
  progress("fixture: " + with_commas(count) + " movements in " + fixed(ms_since(start) / 1000, 0) + " s");
}

void daily_log(const Options& o) {
  fs::create_directories(o.data_dir);
  // A post's data directory of its own, so the daemon can be started on it too.
  const fs::path post_dir = o.data_dir / (o.movements == 10'000'000 ? "station-10m" : "station-" + std::to_string(o.movements));
  fs::create_directories(post_dir);
  const auto path = post_dir / "station.db";
  std::string how;
  if (fixture_rows(path) == o.movements) {
    how = "reused";
  } else {
    progress("building " + path.string() + " (" + with_commas(o.movements) + " movements); this takes minutes");
    const auto start = Clock::now();
    build_fixture(path, o.movements);
    how = "built in " + fixed(ms_since(start) / 1000, 0) + " s";
  }
  std::optional<station::Store> opened(std::in_place, path.string());
  auto& store = *opened;
  const auto size_mb = static_cast<double>(fs::file_size(path)) / (1024.0 * 1024.0);

  table_header(std::string("Daily log on a store of ").append(with_commas(o.movements))
                   .append(" movements over ten years (target: <= 50 ms); ")
                   .append(path.string()).append(", ").append(fixed(size_mb / 1024, 2)).append(" GB, ").append(how));
  auto time_query = [&](const std::string& label, const station::MovementFilter& filter, bool target) {
    std::size_t rows = 0;
    const auto first_start = Clock::now();
    rows = store.movements(filter).size();
    const double first = ms_since(first_start);
    std::vector<double> times;
    for (int i = 0; i < o.queries; ++i) {
      const auto start = Clock::now();
      rows = store.movements(filter).size();
      times.push_back(ms_since(start));
    }
    const auto s = summarize(times);
    row(label + ", " + with_commas(rows) + " rows (first run " + fixed(first) + " ms)", s, target ? "median <= 50 ms" : "",
        target ? std::optional<bool>(s.median <= 50) : std::nullopt);
  };
  // The daily log as GET /api/movements asks for it (the list: no checks or images per movement).
  station::MovementFilter day;
  day.from = day.to = kQueryDayWithChecks;
  day.details = false;
  day.limit = 100'000;  // the whole day in one page
  time_query("Store::movements, one day (" + kQueryDayWithChecks + ", the API's list)", day, true);
  station::MovementFilter old_day = day;
  old_day.from = old_day.to = kQueryDayOld;
  time_query("Store::movements, one day (" + kQueryDayOld + ", the API's list)", old_day, true);
  station::MovementFilter full_day = day;
  full_day.details = true;
  time_query("  the same day with every movement's checks and images (export)", full_day, false);
  station::MovementFilter narrow = day;
  narrow.direction = "entry";
  narrow.inspector = "insp-06";
  time_query("Store::movements, one day + direction=entry + inspector=insp-06", narrow, true);

  // The lookups a scan does on this store, and the count /api/status asks for.
  std::vector<double> lookups, counts;
  for (int i = 0; i < o.queries; ++i) {
    auto start = Clock::now();
    store.previous_movement("AB1234567", "PER");
    lookups.push_back(ms_since(start));
  }
  {
    const auto start = Clock::now();
    store.movement_count();  // counted once; the store keeps it up to date afterwards
    counts.push_back(ms_since(start));
  }
  row("Store::previous_movement (the scan's store lookup)", summarize(lookups), "", std::nullopt, 3);
  row("Store::movement_count, first call (the highest sequence; later calls are cached)", summarize(counts), "", std::nullopt);
  opened.reset();

  // The daily log as the pages ask for it: the daemon started on this store, GET /api/movements.
  progress("starting the daemon on the large store");
  const auto started = Clock::now();
  Daemon daemon(o.data_dir / "daemon-log", o.station_bin, o.source, 0, post_dir);
  const double start_ms = ms_since(started);
  const station::StationClient client = daemon.client();
  auto time_get = [&](const std::string& label, const std::string& target, bool with_target) {
    std::vector<double> times;
    std::size_t count = 0, bytes = 0;
    for (int i = -1; i < o.queries; ++i) {
      const auto start = Clock::now();
      const auto answer = client.get(target);
      const double ms = ms_since(start);
      if (answer.status != 200) throw std::runtime_error(target + ": HTTP " + std::to_string(answer.status) + answer.error);
      count = answer.body.value("count", std::size_t{0});
      bytes = answer.body.dump().size();
      if (i >= 0) times.push_back(ms);
    }
    const auto s = summarize(times);
    row(label + (count > 0 ? ", " + with_commas(count) + " movements, " + fixed(static_cast<double>(bytes) / 1e6) + " MB of JSON" : std::string()), s,
        with_target ? "median <= 50 ms" : "", with_target ? std::optional<bool>(s.median <= 50) : std::nullopt);
  };
  time_get("GET /api/movements?date=" + kQueryDayWithChecks + " via the API (first page of 500, with the day's total)",
           "/api/movements?date=" + kQueryDayWithChecks, true);
  time_get("GET /api/movements?date=" + kQueryDayWithChecks + "&limit=5000 via the API (the whole day in one page)",
           "/api/movements?date=" + kQueryDayWithChecks + "&limit=5000", false);
  time_get("GET /api/movements?date=" + kQueryDayWithChecks + "&direction=entry&inspector=insp-06 via the API",
           "/api/movements?date=" + kQueryDayWithChecks + "&direction=entry&inspector=insp-06", true);
  time_get("GET /api/status (movement count cached)", "/api/status", false);
  note("daemon start on this store, to listening: " + fixed(start_ms / 1000, 2) + " s");
  if (!o.keep) fs::remove_all(o.data_dir / "daemon-log");
}

// --- part 4: the daemon's memory over many scans ---

void daemon_memory(const Options& o) {
  const auto samples = readable_samples(o.source / "config" / "samples");
  progress("starting the daemon for " + with_commas(static_cast<std::uint64_t>(o.scans)) + " scans");
  const auto dir = o.data_dir / "daemon-memory";
  Daemon daemon(dir, o.station_bin, o.source, o.watchlist_persons);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long idle = daemon.memory_kb();
  const station::StationClient client = daemon.client();
  station::EventFeed feed(daemon.port(), client.cookie());
  std::vector<std::pair<int, long>> marks;
  std::vector<double> decisions;
  int missed = 0;
  const auto start = Clock::now();
  for (int i = 1; i <= o.scans; ++i) {
    const auto& sample = samples[static_cast<std::size_t>(i - 1) % samples.size()];
    const auto event = scan(client, feed, sample);
    if (!event) {
      ++missed;
    } else {
      const auto inspection = (*event)["inspection"].value("id", std::uint64_t{0});
      const auto t = Clock::now();
      const auto decided = client.post("/api/inspection/decision", {{"inspection", inspection}, {"decision", "refer"}});
      decisions.push_back(ms_since(t));
      if (decided.status != 201) throw std::runtime_error("decision: HTTP " + std::to_string(decided.status) + " " + decided.body.dump() + decided.error);
    }
    take_away(client, feed);
    if (i == 1 || i % 1000 == 0 || i == o.scans) {
      marks.emplace_back(i, daemon.memory_kb());
      progress(with_commas(static_cast<std::uint64_t>(i)) + " scans, RSS " + fixed(static_cast<double>(marks.back().second) / 1024) + " MB, " +
               fixed(i / (ms_since(start) / 1000), 1) + " scans/s");
    }
  }
  const long peak = daemon.memory_kb("VmHWM");
  std::cout << "\nDaemon resident memory over " << with_commas(static_cast<std::uint64_t>(o.scans))
            << " scans (place, verdict, decide refer with its 3 page images, remove; cycling the " << samples.size()
            << " readable samples; target: no growth)\n\n| after | VmRSS |\n|---|---:|\n";
  std::cout << "| start, idle 2 s | " << fixed(static_cast<double>(idle) / 1024) << " MB |\n";
  for (const auto& [n, kb] : marks)
    std::cout << "| " << with_commas(static_cast<std::uint64_t>(n)) << " scans | " << fixed(static_cast<double>(kb) / 1024) << " MB |\n";
  std::cout << "| peak (VmHWM) | " << fixed(static_cast<double>(peak) / 1024) << " MB |\n";
  // Growth is counted from the 1,000th scan (buffers of the first reads and SQLite's page cache
  // settle before); PASS allows 2 MB of allocator noise.
  const long settled = marks.size() > 2 ? marks[1].second : marks.front().second;
  const double growth = static_cast<double>(marks.back().second - settled) / 1024;
  table_header("Daemon memory and decision latency");
  std::cout << "| RSS idle -> after " << with_commas(static_cast<std::uint64_t>(o.scans)) << " scans: " << fixed(static_cast<double>(idle) / 1024)
            << " -> " << fixed(static_cast<double>(marks.back().second) / 1024) << " MB; growth after " << with_commas(static_cast<std::uint64_t>(marks.size() > 2 ? marks[1].first : marks.front().first))
            << " scans: " << fixed(growth, 1) << " MB | " << o.scans << " | | | | | no growth (<= 2 MB) | " << (growth <= 2.0 ? "PASS" : "MISS")
            << " |\n";
  if (marks.size() > 3) {
    const auto& half = marks[marks.size() / 2];
    const double late = static_cast<double>(marks.back().second - half.second) / 1024;
    std::cout << "| RSS growth over the second half, " << with_commas(static_cast<std::uint64_t>(half.first)) << " -> "
              << with_commas(static_cast<std::uint64_t>(marks.back().first)) << " scans: " << fixed(late, 1) << " MB | " << o.scans
              << " | | | | | no growth (<= 2 MB) | " << (late <= 2.0 ? "PASS" : "MISS") << " |\n";
  }
  row("POST /api/inspection/decision -> 201 with 3 page images written and synced", summarize(decisions), "", std::nullopt);
  if (missed > 0) note(std::to_string(missed) + " placements gave no checks-done within 30 s");
  std::cout << "| " << fixed(ms_since(start) / 1000, 0) << " s for " << o.scans << " scans | | | | | | | |" << std::endl;
  if (!o.keep) fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"bench_station: the station daemon's scan-to-verdict latency, durable writes, daily log on a large store, and memory."};
  app.add_option("--parts", o.parts, "Which parts: scan, write, log, memory")->delimiter(',')->capture_default_str();
  app.add_option("--runs", o.runs, "Scans per sample (scan-to-verdict)")->capture_default_str();
  app.add_option("--writes", o.writes, "Movements recorded in process (durable write)")->capture_default_str();
  app.add_option("--api-writes", o.api_writes, "Decisions through the API (durable write)")->capture_default_str();
  app.add_option("--movements", o.movements, "Movements in the daily-log store")->capture_default_str();
  app.add_option("--queries", o.queries, "Runs of each daily-log query")->capture_default_str();
  app.add_option("--scans", o.scans, "Scans through the daemon (memory)")->capture_default_str();
  app.add_option("--watchlist-persons", o.watchlist_persons, "Made-up persons on the watch-list besides the samples' two entries")
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "Where the stores go (a disk, not tmpfs); the daily-log store is kept for the next run")
      ->capture_default_str();
  app.add_option("--station-bin", o.station_bin, "The borderpost-station executable")->capture_default_str();
  app.add_flag("--keep", o.keep, "Keep the daemons' data directories");
  CLI11_PARSE(app, argc, argv);
  auto wants = [&](const std::string& part) { return std::find(o.parts.begin(), o.parts.end(), part) != o.parts.end(); };
  try {
    fs::create_directories(o.data_dir);
    if (wants("scan")) scan_to_verdict(o);
    if (wants("write")) durable_write(o);
    if (wants("log")) daily_log(o);
    if (wants("memory")) daemon_memory(o);
  } catch (const std::exception& e) {
    std::cerr << "bench_station: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
