// The station daemon's wiring: device events and API requests meet on one event loop; optical
// reading runs on a worker pool; sync runs on its own thread with its own database connection.
#include "station/app.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <thread>

#include <openssl/crypto.h>

#include <opencv2/imgcodecs.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "accounts_api.hpp"
#include "chip_reading.hpp"
#include "api_support.hpp"
#include "desk.hpp"
#include "office_api.hpp"
#include "firmware_bridge/profile.hpp"
#include "firmware_bridge/simulated_page_reader.hpp"
#include "firmware_bridge/traveller_camera.hpp"
#include "local_server.hpp"
#include "sessions.hpp"
#include "web_files.hpp"
#include "mrz/mrz.hpp"
#include "mrz_cli/json.hpp"
#include "mrz_optical/zones.hpp"
#include "station/emrtd/bac.hpp"
#include "station/security/page_examiner.hpp"
#include "station/store.hpp"
#include "sync/crypto.hpp"
#include "sync/pki.hpp"
#include "sync/uploader.hpp"
#include "sync/watchlist.hpp"

namespace borderpost::station {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using nlohmann::json;
using api::BadRequest;
using api::body_object;
using api::error;
using api::ok;
using api::text_field;

struct LocalClock {
  std::string date, time;
  std::chrono::year_month_day day;
};

// Writes a file and forces it to the disk before the movement that references it commits.
void write_durably(const fs::path& path, const std::vector<unsigned char>& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::runtime_error("cannot sync " + path.string());
}

std::string image_extension(const std::vector<unsigned char>& bytes) {
  if (bytes.size() > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8) return ".jpg";
  if (bytes.size() > 4 && bytes[0] == 0x89 && bytes[1] == 'P') return ".png";
  return ".img";
}

constexpr std::string_view kSessionCookie = "bp_session";
constexpr const char* kPollHeader = "X-Borderpost-Poll";  // sent by a page's own polling

std::string session_token(const HttpRequest& request) {
  const auto header = request[http::field::cookie];
  return cookie_value(std::string_view(header.data(), header.size()), kSessionCookie);
}

// The page sends back the session's CSRF token in a header another site cannot set; compared in
// constant time.
bool csrf_ok(const HttpRequest& request, const Session& session) {
  const auto sent = request["X-CSRF-Token"];
  return sent.size() == session.csrf.size() && CRYPTO_memcmp(sent.data(), session.csrf.data(), sent.size()) == 0;
}

// HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure (browsers
// accept it from a loopback address, where the pages are served).
std::string session_cookie(const std::string& token, bool clear = false) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Secure" + (clear ? "; Max-Age=0" : "");
}

class Station {
 public:
  Station(const StationConfig& config, std::ostream& out)
      : config_(config), out_(out), workers_(static_cast<std::size_t>(config.reading.workers)), signals_(io_, SIGINT, SIGTERM),
        status_timer_(io_) {}

  int run() {
    open_store();
    open_reader();
    server_ = std::make_unique<LocalServer>(io_, config_.api.address, static_cast<unsigned short>(config_.api.port), "/api/events",
                                            [this](const HttpRequest& r, const LocalServer::Respond& respond) { handle(r, respond); });
    server_->set_events_gate([this](const HttpRequest& r) {
      return sessions_.touch(session_token(r), Sessions::Clock::now()).first == Sessions::State::Valid;
    });
    // A locked or ended session's page gets no more travellers' data; it learns why on reconnecting.
    server_->set_events_still_allowed([this](const HttpRequest& r) { return feed_session(r) != nullptr; });
    start_sync();
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (!ec) shutdown(signal);
    });
    out_ << "borderpost-station: post " << config_.post.station_id << " (" << config_.post.name << ")\n"
         << "local API listening on http://" << config_.api.address << ":" << server_->port() << "/api/ (events: ws://"
         << config_.api.address << ":" << server_->port() << "/api/events)\n"
         << "data in " << fs::absolute(config_.data_dir).string() << "\n"
         << (store_problem_.empty() ? "" : "WARNING: " + store_problem_.english + "\n")
         << "listening on port " << server_->port() << std::endl;
    spdlog::info("station started station={} port={} movements={}", config_.post.station_id, server_->port(), store_->movement_count());
    audit("system", "station.started", config_.post.station_id);
    tick_status();
    io_.run();
    workers_.join();
    return 0;
  }

 private:
  // --- start-up ---
  void open_store() {
    std::error_code ec;
    fs::create_directories(config_.data_dir, ec);
    if (ec) throw std::runtime_error("cannot create the data directory " + config_.data_dir + ": " + ec.message());
    db_path_ = (fs::path(config_.data_dir) / "station.db").string();
    if (::access(config_.data_dir.c_str(), W_OK) != 0) {
      // A disk remounted read-only after errors: the post still reads documents and shows its
      // records, but refuses decisions until the disk is writable again.
      const std::string why = std::strerror(errno);
      const auto where = fs::absolute(config_.data_dir).string();
      if (!fs::exists(db_path_)) throw std::runtime_error("the data directory " + where + " is not writable (" + why + ") and holds no station database");
      store_problem_ = said("The data directory " + where + " is read-only (" + why +
                                "): movements cannot be recorded. Make the disk writable, then restart the station.",
                            "error.store.read_only", {{"where", where}, {"why", why}});
      store_ = std::make_unique<Store>(db_path_, 0, sync::sqlite::Access::ReadOnly);
      spdlog::error("data directory read-only ({}): decisions are refused until it is writable and the station restarted", why);
    } else {
      store_ = std::make_unique<Store>(db_path_, config_.store.max_size_mb);
    }
    key_ = std::make_unique<sync::SigningKey>(load_signing_key());
    outbox_ = std::make_unique<sync::Outbox>(store_->db(), config_.post.station_id, key_->share());
    watchlist_ = std::make_unique<sync::StationWatchlist>(store_->db());
    accounts_ = std::make_unique<Accounts>(store_->db(), config_.accounts.cost(), config_.accounts.lockout());
    auto problem = [this]() -> const Said& { return store_problem_; };
    auto audit_entry = [this](const std::string& actor, const std::string& action, const std::string& subject, const std::string& detail) {
      audit(actor, action, subject, detail);
    };
    office_ = std::make_unique<OfficeApi>(OfficeApi::Context{config_, *store_, *key_, [this] { return local_now().date; }, problem, audit_entry});
    accounts_api_ = std::make_unique<AccountsApi>(AccountsApi::Context{
        *accounts_, sessions_, problem, audit_entry,
        [this](std::function<std::string()> hash, std::function<void(std::optional<std::string>)> then) {
          off_loop(std::move(hash), std::move(then));
        }});
    if (accounts_->count() == 0)
      spdlog::warn("no accounts yet: create the first with `borderpost users add --config {} --role administrator ...`", config_.file);
  }

  // The post signs with the key `borderpost pki station` issued; without credentials (a post that
  // does not sync) it keeps a key of its own in the data directory.
  sync::SigningKey load_signing_key() {
    const auto path = signing_key_path(config_);
    if (!config_.sync.credentials.empty() || fs::exists(path)) return sync::SigningKey::load(path);
    auto key = sync::SigningKey::generate();
    if (!store_problem_.empty()) return key;  // nothing will be signed on a read-only disk
    key.save(path);
    spdlog::warn("no sync credentials: records are signed with a local key ({}) the central office does not know", path);
    return key;
  }

  void open_reader() {
    optical_ = std::make_unique<mrz::optical::Reader>();
    examiner_ = std::make_unique<security::PageExaminer>(*optical_);
    open_chip_reader();
    open_traveller_camera();
    if (config_.devices.page_reader.empty()) return;
    const auto profile = bridge::load_profile(config_.devices.page_reader);
    page_dpi_ = profile.dpi;
    page_reader_ = bridge::open_page_reader(profile, {config_.devices.samples});
    simulated_ = dynamic_cast<bridge::SimulatedPageReader*>(page_reader_.get());
    page_reader_->start([this](const bridge::DeviceEvent& event) {
      asio::post(io_, [this, event] { on_device(event); });
    });
  }

  void open_chip_reader() {
    const auto& name = config_.devices.chip_reader;
    if (name.empty()) return;
    ChipReadSettings settings{name == "any" ? std::string() : name, std::chrono::milliseconds(config_.devices.chip_wait_ms),
                              fs::path(config_.data_dir) / "trust" / "csca"};
    chip_reading_ = std::make_unique<ChipReading>(std::move(settings), [this](ChipReadResult result) {
      asio::post(io_, [this, result = std::move(result)]() mutable { on_chip_read(std::move(result)); });
    });
    spdlog::info("chip reader: {} (trust store {})", name, (fs::path(config_.data_dir) / "trust" / "csca").string());
  }

  // A wrong profile stops the station at start-up, like the page reader's; the camera itself is
  // looked for at each photo, so one unplugged now is no reason to refuse to start.
  void open_traveller_camera() {
    if (config_.devices.traveller_camera.empty()) return;
    traveller_camera_ = std::make_unique<bridge::TravellerCamera>(bridge::load_profile(config_.devices.traveller_camera));
    spdlog::info("traveller camera: {} ({})", traveller_camera_->model(), config_.devices.traveller_camera);
  }

  void start_sync() {
    if (!config_.sync.enabled) return;
    if (!store_problem_.empty()) {
      spdlog::warn("sync paused: the data directory is read-only");
      return;
    }
    const auto colon = config_.sync.central.rfind(':');
    const fs::path c(config_.sync.credentials);
    sync::UploaderConfig uc{config_.sync.central.substr(0, colon), config_.sync.central.substr(colon + 1), config_.sync.server_name,
                            (c / "ca.crt").string(), (c / "station.crt").string(), (c / "station.key").string(),
                            (c / "signing.crt").string(), static_cast<std::size_t>(config_.sync.batch_size)};
    sync_db_ = std::make_unique<sync::sqlite::Connection>(db_path_);
    sync_outbox_ = std::make_unique<sync::Outbox>(sync_db_->get(), config_.post.station_id, key_->share());
    sync_watchlist_ = std::make_unique<sync::StationWatchlist>(sync_db_->get());
    uploader_ = std::make_unique<sync::Uploader>(uc, *sync_outbox_, sync_watchlist_.get());
    sync_loop_ = std::make_unique<sync::SyncLoop>(*uploader_, sync::Backoff(std::chrono::seconds(1), std::chrono::minutes(5)),
                                                  std::chrono::seconds(config_.sync.interval_s));
    sync_thread_ = std::jthread([this](std::stop_token stop) { sync_loop_->run(stop); });
  }

  void shutdown(int signal) {
    spdlog::info("station stopping signal={}", signal);
    if (page_reader_) page_reader_->stop();
    if (chip_reading_) chip_reading_->stop();
    if (sync_thread_.joinable()) {
      sync_thread_.request_stop();
      sync_loop_->wake();
      sync_thread_.join();
    }
    status_timer_.cancel();
    server_->close();
    audit("system", "station.stopped", config_.post.station_id);
    workers_.stop();
    io_.stop();
  }

  // An audit entry that cannot be written (full or read-only disk) is logged, and the post goes on.
  void audit(const std::string& actor, const std::string& action, const std::string& subject, const std::string& detail = "") {
    if (!store_problem_.empty()) {
      spdlog::warn("audit entry not recorded (read-only data directory) action={}", action);
      return;
    }
    try {
      store_->audit(actor, action, subject, detail);
    } catch (const std::exception& e) {
      spdlog::error("audit entry not recorded action={}: {}", action, e.what());
    }
  }

  // --- the clock of the post ---
  LocalClock local_now() const {
    const auto t = std::time(nullptr);
    std::tm local{};
    localtime_r(&t, &local);
    char date[16], time[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", &local);
    std::strftime(time, sizeof time, "%H:%M:%S", &local);
    const auto day = config_.post.pinned_date ? *config_.post.pinned_date : *parse_iso_day(date);
    return {iso_day(day), time, day};
  }

  // --- device events ---
  void on_device(const bridge::DeviceEvent& event) {
    using Kind = bridge::DeviceEvent::Kind;
    spdlog::info("device event={} device={}", bridge::to_string(event.kind), event.device);
    switch (event.kind) {
      case Kind::Connected:
      case Kind::Disconnected:
        // Only a capture in progress is lost; a page already captured is read from its images.
        if (event.kind == Kind::Disconnected && current_ && current_->state == "placed") {
          current_->state = "interrupted";
          current_->message = "The document reader was disconnected during the scan. Place the document again when it is back.";
          current_->message_phrase = {"desk.message.disconnected"};
          publish_inspection("inspection-interrupted");
        }
        publish({{"event", "device"}, {"reader", device_json()}});
        break;
      case Kind::DocumentPlaced:
        begin_inspection(event.device);
        break;
      case Kind::Captured:
        on_captured(event.capture);
        break;
      case Kind::Failed:
        if (current_ && current_->state == "placed") {
          current_->state = "unusable";
          current_->message = "The reader could not capture the page (" + event.message + "). Place the document again.";
          current_->message_phrase = {"desk.message.capture_failed", {{"why", event.message}}};
          publish_inspection("document-read");
        }
        break;
      case Kind::DocumentRemoved:
        publish({{"event", "document-removed"}, {"inspection", current_ ? current_->id : 0}});
        break;
    }
  }

  void begin_inspection(const std::string& device) {
    if (current_ && current_->state != "decided") audit("system", "inspection.abandoned", std::to_string(current_->id));
    if (chip_reading_) chip_reading_->cancel();
    current_ = std::make_shared<Inspection>();
    current_->id = ++inspections_;
    viewed_by_.clear();
    current_->device = device;
    current_->direction = config_.post.default_direction;
    publish_inspection("document-placed");
  }

  void on_captured(const bridge::Capture& capture) {
    if (capture.images.empty() && !capture.mrz_lines.empty()) return on_mrz_lines(capture);
    if (!current_ || current_->state != "placed") begin_inspection(capture.device);
    auto inspection = current_;
    // A light that could not be had (a lamp not switched): the checks needing it say so.
    for (const auto& problem : capture.problems) spdlog::warn("inspection={} capture: {}", inspection->id, problem);
    inspection->state = "reading";
    inspection->sample = capture.sample;
    inspection->images = capture.images;
    const bridge::PageImage* white = nullptr;
    for (const auto& image : capture.images)
      if (image.light == bridge::Light::White) white = &image;
    if (!white) {
      inspection->state = "unusable";
      inspection->message = "The reader delivered no white-light image. Place the document again.";
      inspection->message_phrase = {"desk.message.no_white_image"};
      publish_inspection("document-read");
      return;
    }
    mrz::optical::ReadOptions options;
    options.time_budget_ms = config_.reading.time_budget_ms;
    options.parse.as_of = local_now().day;
    auto images = std::make_shared<const std::vector<bridge::PageImage>>(capture.images);
    asio::post(workers_, [this, inspection, images, white_bytes = white->encoded, options, lamps_failed = capture.lamps_failed] {
      auto result = std::make_shared<mrz::optical::ReadResult>();
      auto portrait = std::make_shared<std::vector<unsigned char>>();
      auto security = std::make_shared<SecurityFacts>();
      auto page = mrz::optical::decode_page(white_bytes);
      if (page.image.empty()) {
        result->status = mrz::optical::ReadStatus::Unusable;
        result->message = std::move(page.problem);
      } else {
        *result = optical_->read(page.image, options);
        *portrait = portrait_of(page.image, *result);
        *security = examine_security(page.image, *images, lamps_failed, *result);
      }
      asio::post(io_, [this, inspection, result, portrait, security] {
        if (inspection == current_) {
          inspection->portrait = std::move(*portrait);
          inspection->security = std::move(*security);
        }
        on_read(inspection, *result);
      });
    });
  }

  // The page's optical security features, from the IR and UV images beside the white one.
  // `lamps_failed`: lights missing because the reader's lamp would not switch on (a device fault).
  SecurityFacts examine_security(const cv::Mat& white, const std::vector<bridge::PageImage>& captured,
                                 const std::vector<bridge::Light>& lamps_failed, const mrz::optical::ReadResult& read) const {
    security::PageImages images;
    images.white = white;
    images.dpi = page_dpi_;
    for (bridge::Light light : lamps_failed) {
      if (light == bridge::Light::Infrared) images.infrared_lamp_failed = true;
      if (light == bridge::Light::Ultraviolet) images.ultraviolet_lamp_failed = true;
    }
    for (const auto& image : captured) {
      if (image.light == bridge::Light::White) continue;
      auto decoded = mrz::optical::decode_page(image.encoded);
      const bool infrared = image.light == bridge::Light::Infrared;
      (infrared ? images.infrared : images.ultraviolet) = decoded.image;
      (infrared ? images.infrared_unusable : images.ultraviolet_unusable) = decoded.image.empty();
    }
    const auto started = std::chrono::steady_clock::now();
    SecurityFacts facts;
    try {
      facts = examiner_->examine(images, read);
    } catch (const std::exception& e) {
      // The checks then say the features were not measured; the rest of the inspection goes on.
      spdlog::error("examining the page's security features failed: {}", e.what());
      facts = unmeasured_page(NotMeasured::image_unusable);
    }
    spdlog::info("security features examined in {} ms",
                 std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    return facts;
  }

  // A text MRZ reader (swipe, OCR) sent the lines: parsed as a typed MRZ is, checked as the reader's
  // (its own recognition, no page images).
  void on_mrz_lines(const bridge::Capture& capture) {
    if (!current_ || current_->state != "placed") begin_inspection(capture.device);
    std::string text;
    for (const auto& line : capture.mrz_lines) {
      if (!text.empty()) text.push_back('\n');
      text.append(line);
    }
    mrz::ParseOptions options;
    options.as_of = local_now().day;
    auto document = mrz::parse(text, options);
    auto& inspection = *current_;
    inspection.images.clear();
    if (!document.usable()) {
      inspection.state = "no-mrz";
      inspection.message = "The MRZ reader's text is not a machine-readable zone. Swipe the document again or type the MRZ.";
      inspection.message_phrase = {"desk.message.reader_text_not_mrz"};
      publish_inspection("document-read");
      return;
    }
    inspection.read_status.clear();  // the reader's own OCR: no optical read result of ours
    inspection.portrait.clear();
    inspection.security = unmeasured_page(NotMeasured::text_only);
    inspection.document = std::move(document);
    inspection.source = MrzSource::TextReader;
    publish_inspection("document-read");
    start_chip_read(inspection);
    run_checks(inspection);
    publish_inspection("checks-done");
  }

  // The portrait zone the MRZ's position implies, for the inspector to compare with the traveller.
  static std::vector<unsigned char> portrait_of(const cv::Mat& page, const mrz::optical::ReadResult& read) {
    using mrz::optical::ReadStatus;
    std::vector<unsigned char> jpeg;
    if (read.status == ReadStatus::NotFound || read.status == ReadStatus::Unusable) return jpeg;
    const auto zone = mrz::optical::portrait_zone(read.quad, read.mrz.document.format);
    if (!zone) return jpeg;
    const auto cut = mrz::optical::cut_zone(page, *zone, 240);
    if (!cut.empty()) cv::imencode(".jpg", cut, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85});
    return jpeg;
  }

  void on_read(const std::shared_ptr<Inspection>& inspection, const mrz::optical::ReadResult& result) {
    if (inspection != current_) return;  // a newer document was placed meanwhile
    using mrz::optical::ReadStatus;
    inspection->read_status = std::string(mrz::optical::to_string(result.status));
    inspection->read_ms = result.elapsed_ms;
    inspection->orientation = result.orientation;
    spdlog::info("inspection={} read={} ms={:.0f}", inspection->id, inspection->read_status, result.elapsed_ms);
    if (result.status == ReadStatus::NotFound || result.status == ReadStatus::Unusable) {
      inspection->state = result.status == ReadStatus::NotFound ? "no-mrz" : "unusable";
      const bool not_found = result.status == ReadStatus::NotFound;
      inspection->message = not_found
                                ? "No machine-readable zone found. Type the MRZ, or the data page for a document without one."
                                : "The page image is unusable (" + result.message + "). Place the document again or type the MRZ.";
      inspection->message_phrase = not_found ? Phrase{"desk.message.no_mrz"}
                                             : Phrase{"desk.message.unusable_image", {{"why", result.message}}};
      publish_inspection("document-read");
      return;
    }
    inspection->confidence = result.mrz.confidence;
    inspection->repaired = result.mrz.changes;
    inspection->uncertain_fields = result.mrz.uncertain_fields;
    inspection->document = result.mrz.document;
    inspection->source = MrzSource::Optical;
    publish_inspection("document-read");
    start_chip_read(*inspection);
    run_checks(*inspection);
    publish_inspection("checks-done");
  }

  // The chip is read with the keys of the MRZ now on the desk (read or typed); its checks wait
  // ("reading") until on_chip_read.
  void start_chip_read(Inspection& inspection) {
    inspection.chip = {};
    inspection.chip_face.clear();
    if (!chip_reading_) return;
    try {
      const auto information = emrtd::mrz_information(*inspection.document);
      inspection.chip.state = ChipFacts::State::reading;
      chip_reading_->read(inspection.id, information, std::chrono::system_clock::now());
    } catch (const std::invalid_argument&) {
      inspection.chip.state = ChipFacts::State::no_keys;
      chip_reading_->cancel();
    }
  }

  void on_chip_read(ChipReadResult result) {
    const bool missing = result.facts.state == ChipFacts::State::unavailable;
    if (missing != chip_reader_missing_) {
      chip_reader_missing_ = missing;
      publish({{"event", "device"}, {"chip_reader", chip_reader_json()}});
    }
    // A decided, replaced or retyped inspection keeps what it had.
    if (!current_ || current_->id != result.inspection || current_->state != "inspected" ||
        current_->chip.state != ChipFacts::State::reading) {
      spdlog::info("chip inspection={} result dropped: the inspection moved on", result.inspection);
      return;
    }
    current_->chip = std::move(result.facts);
    current_->chip_face = std::move(result.face_jpeg);
    run_checks(*current_);
    audit("system", "chip.read", std::to_string(current_->id),
          std::string(to_string(current_->chip.state)) +
              (current_->chip.state == ChipFacts::State::read
                   ? std::string(" verdict=") + std::string(to_string(current_->verdict.overall))
                   : ""));
    publish_inspection("chip-read");
  }

  void run_checks(Inspection& inspection) {
    const auto& doc = *inspection.document;
    InspectionFacts facts;
    facts.chip = inspection.chip;
    facts.security = inspection.security;
    facts.document = doc;
    facts.source = inspection.source;
    facts.optical_needs_review = inspection.read_status == "needs_review";
    facts.uncertain_fields = inspection.uncertain_fields;
    facts.crossing_date = local_now().day;
    facts.direction = inspection.direction;
    facts.previous = store_->previous_movement(doc.document_number.value, doc.issuing_state.value);
    facts.document_hits = watchlist_->documents(doc.document_number.value, doc.issuing_state.value);
    facts.watchlist_persons = watchlist_persons();
    inspection.verdict = inspect(facts, config_.rules);
    inspection.state = "inspected";
    inspection.message.clear();
    inspection.message_phrase = {};
    spdlog::info("inspection={} verdict={} alerts={}", inspection.id, to_string(inspection.verdict.overall),
                 alert_count(inspection.verdict.checks));
  }

  // The listed persons, read again only when sync has applied a new watch-list version.
  const std::vector<sync::WatchlistEntry>& watchlist_persons() {
    const auto version = watchlist_->version();
    if (!persons_version_ || *persons_version_ != version) {
      persons_ = watchlist_->persons();
      persons_version_ = version;
    }
    return persons_;
  }

  // --- the local API ---
  void handle(const HttpRequest& request, const LocalServer::Respond& respond) {
    try {
      const std::string target(request.target());
      const std::string path = target.substr(0, target.find('?'));
      const auto method = request.method();
      if (path.rfind("/api/", 0) != 0) {
        if (method == http::verb::get || method == http::verb::head)
          if (auto page = web_file(request, config_.api.web_dir, path)) return respond(std::move(*page));
        return respond(error(request, http::status::not_found, "no such page: " + path));
      }
      // Logging in checks a memory-hard password hash: on a worker, answered later.
      if (path == "/api/session" && method == http::verb::post) return log_in(request, respond);
      if (path == "/api/session/unlock" && method == http::verb::post) return unlock_session(request, respond);
      if (path == "/api/session") return respond(session_endpoint(request, method));
      if (path == "/api/session/language" && method == http::verb::post) return respond(set_language(request, body_object(request)));
      // The simulated reader stands for the hardware on the desk: it carries no person's data.
      if (path.rfind("/api/simulator/", 0) == 0) return respond(simulator(request, path.substr(15), method));
      Session* session = nullptr;
      if (auto refusal = refuse_unless_logged_in(request, session)) return respond(std::move(*refusal));
      if (accounts_api_->handle(request, path, *session, respond)) return;
      // A decision may wait for the traveller's photo: answered later.
      if (method == http::verb::post && path == "/api/inspection/decision") return decide(request, body_object(request), *session, respond);
      respond(answer(request, path, method, *session));
    } catch (const api::BadRequest& e) {
      respond(error(request, http::status::bad_request, e.what(), e.phrase));
    }
  }

  // The endpoints answered at once, for a logged-in person.
  HttpResponse answer(const HttpRequest& request, const std::string& path, http::verb method, const Session& who) {
    if (method == http::verb::get && path == "/api/status") return ok(request, status_json());
    if (path.rfind("/api/inspection", 0) == 0) {
      auto answered = answer_inspection(request, path, method);
      if (answered.result() == http::status::ok) audit_viewed(who.account);
      return answered;
    }
    if (method == http::verb::post && path == "/api/mrz/validate") return validate_mrz(request, body_object(request));
    if (method == http::verb::get && path == "/api/refusal-reasons") return ok(request, refusal_reasons_json());
    if (auto answered = office_->handle(request, path, who)) return std::move(*answered);
    return error(request, http::status::not_found, "no such API endpoint: " + std::string(request.method_string()) + " " + path);
  }

  // Who saw the current traveller: one audit entry per person and inspection, the first time the
  // person is sent its personal data (asked for, pushed to their page, or one of its images).
  void audit_viewed(const std::string& account) {
    if (!current_ || !current_->document) return;
    if (!viewed_by_.insert(account).second) return;
    const auto& d = *current_->document;
    audit(account, "inspection.viewed", std::to_string(current_->id), d.issuing_state.value + " " + d.document_number.value);
  }

  // The current inspection's endpoints: the traveller at the desk, their images, and the inspector's
  // direction and typed MRZ.
  HttpResponse answer_inspection(const HttpRequest& request, const std::string& path, http::verb method) {
    if (method == http::verb::get && path == "/api/inspection") return ok(request, current_ ? to_json(*current_) : json{{"state", "idle"}});
    if (method == http::verb::get && path == "/api/inspection/portrait") {
      if (!current_ || current_->portrait.empty()) return error(request, http::status::not_found, "no portrait for the current document");
      return api::bytes_response(request, "image/jpeg", std::string(current_->portrait.begin(), current_->portrait.end()));
    }
    if (method == http::verb::get && path == "/api/inspection/chip-face") {
      if (!current_ || current_->chip_face.empty()) return error(request, http::status::not_found, "no face from the chip of the current document");
      return api::bytes_response(request, "image/jpeg", std::string(current_->chip_face.begin(), current_->chip_face.end()));
    }
    if (method == http::verb::get && path.rfind("/api/inspection/images/", 0) == 0) return inspection_image(request, path.substr(23));
    if (method == http::verb::post && path == "/api/inspection/direction") return set_direction(request, body_object(request));
    if (method == http::verb::post && path == "/api/inspection/manual") return manual_entry(request, body_object(request));
    return error(request, http::status::not_found, "no such API endpoint: " + std::string(request.method_string()) + " " + path);
  }

  // Called when a continuation threw: a request waiting on it must still get an answer.
  using Unanswered = std::function<void(const std::string& why)>;

  // Slow work (password hashing, a photo) on a worker; its continuation back on the loop with the
  // result, or nullopt when the work failed (logged). Nothing thrown escapes to the worker or the
  // loop: a continuation that throws is logged and `unanswered` tells the waiting request.
  template <class Work, class Then>
  void off_loop(Work work, Then then, Unanswered unanswered = {}) {
    asio::post(workers_, [this, work = std::move(work), then = std::move(then), unanswered = std::move(unanswered)]() mutable {
      auto result = std::make_shared<std::optional<decltype(work())>>();
      try {
        result->emplace(work());
      } catch (const std::exception& e) {
        spdlog::error("background work failed: {}", e.what());
      }
      asio::post(io_, [then = std::move(then), unanswered = std::move(unanswered), result]() mutable {
        try {
          then(std::move(*result));
        } catch (const std::exception& e) {
          spdlog::error("background work's answer failed: {}", e.what());
          if (!unanswered) return;
          try {
            unanswered(e.what());
          } catch (const std::exception& again) {
            spdlog::error("the request could not be answered either: {}", again.what());
          }
        }
      });
    });
  }

  // The 500 answer for a request whose continuation failed.
  static Unanswered answer_failure(std::shared_ptr<HttpRequest> request, LocalServer::Respond respond, std::string what) {
    return [request = std::move(request), respond = std::move(respond), what = std::move(what)](const std::string& why) {
      respond(error(*request, http::status::internal_server_error, what + " could not be completed: " + why, {"error.failed_midway", {{"why", why}}}));
    };
  }


  json device_json() const {
    if (!page_reader_) return {{"configured", false}, {"connected", false}};
    return {{"configured", true}, {"connected", page_reader_->connected()}, {"id", page_reader_->id()}, {"model", page_reader_->model()}};
  }

  // The chip reader is only asked at a document: "connected" is what the last read found (true
  // until one finds the reader or the PC/SC service missing).
  json chip_reader_json() const {
    if (!chip_reading_) return {{"configured", false}, {"connected", false}};
    return {{"configured", true}, {"connected", !chip_reader_missing_}, {"name", config_.devices.chip_reader}};
  }

  // The traveller camera is only asked for a picture at a decision: "connected" is what the last
  // photo found (true until one finds the camera missing).
  json camera_json() const {
    if (!traveller_camera_) return {{"configured", false}, {"connected", false}};
    return {{"configured", true}, {"connected", last_photo_ != bridge::TravellerPhoto::Outcome::CameraUnavailable},
            {"id", traveller_camera_->id()}, {"model", traveller_camera_->model()}};
  }

  json sync_json() {
    const auto s = outbox_->status();
    json j{{"enabled", config_.sync.enabled}, {"pending", s.pending}, {"acknowledged", s.acknowledged}, {"last_seq", s.last_seq},
           {"last_contact", s.last_contact}, {"last_error", s.last_error}, {"watchlist_version", watchlist_->version()},
           {"watchlist_entries", watchlist_->size()}};
    if (config_.sync.enabled) j["central"] = config_.sync.central;
    if (config_.sync.enabled && !store_problem_.empty()) j["paused"] = "the data directory is read-only";
    return j;
  }

  json status_json() {
    const auto clock = local_now();
    return {{"station", config_.post.station_id}, {"post", config_.post.name}, {"country", config_.post.country},
            {"local_date", clock.date}, {"local_time", clock.time}, {"default_direction", config_.post.default_direction},
            {"reader", device_json()}, {"sync", sync_json()},
            {"chip_reader", chip_reader_json()}, {"camera", camera_json()}, {"inspection", current_ ? current_->id : 0},
            {"movements", store_->movement_count()},
            {"store", {{"writable", store_problem_.empty()}, {"problem", store_problem_.english}, {"problem_phrase", to_json(store_problem_.phrase)}}}};
  }

  json refusal_reasons_json() const {
    json list = json::array();
    for (const auto& r : config_.refusal_reasons) list.push_back({{"code", r.code}, {"label", r.label}, {"labels", r.labels}});
    return list;
  }

  // --- log-in sessions ---
  json session_json(const Session& s) const {
    return {{"account", s.account}, {"name", s.name}, {"role", to_string(s.role)}, {"language", s.language}, {"locked", s.locked},
            {"idle_minutes", config_.accounts.session_idle_minutes}};
  }

  HttpResponse session_endpoint(const HttpRequest& request, http::verb method) {
    const auto token = session_token(request);
    if (method == http::verb::get) {
      const auto [state, s] = sessions_.touch(token, Sessions::Clock::now());
      if (state == Sessions::State::Missing) return error(request, http::status::unauthorized, "not logged in", {"error.session.missing"});
      return ok(request, session_json(*s));
    }
    if (method == http::verb::delete_) {
      if (const auto [state, s] = sessions_.touch(token, Sessions::Clock::now()); s) audit(s->account, "session.closed", s->account);
      sessions_.close(token);
      auto response = ok(request, {{"ok", true}});
      response.set(http::field::set_cookie, session_cookie("", true));
      return response;
    }
    return error(request, http::status::method_not_allowed, "use GET, POST or DELETE");
  }

  // The password check runs on a worker; the account's failure count is read and written here.
  void check_password_off_loop(const std::string& id, std::string password, std::function<void(std::optional<LoginResult>)> then,
                               Unanswered unanswered) {
    auto attempt = std::make_shared<LoginAttempt>(accounts_->begin_login(id, std::chrono::system_clock::now()));
    off_loop([attempt, password = std::move(password)] { return check_password(*attempt, password); },
             [this, attempt, then = std::move(then)](std::optional<bool> matched) {
               std::optional<LoginResult> result;
               try {
                 if (matched) result = accounts_->finish_login(*attempt, *matched, std::chrono::system_clock::now());
               } catch (const std::exception& e) {
                 spdlog::error("log-in not completed: {}", e.what());
               }
               then(std::move(result));  // nullopt: the password could not be checked
             },
             std::move(unanswered));
  }

  static HttpResponse not_checked(const HttpRequest& request) {
    return error(request, http::status::service_unavailable, "the password could not be checked just now; try again",
                 {"error.login.unavailable"});
  }

  void log_in(const HttpRequest& request, const LocalServer::Respond& respond) {
    const auto j = body_object(request);
    const auto id = text_field(j, "account", true);
    auto password = text_field(j, "password", true);
    auto answer_to = std::make_shared<HttpRequest>(request);
    check_password_off_loop(id, std::move(password), [this, id, answer_to, respond](std::optional<LoginResult> checked) {
      const auto& asked = *answer_to;
      if (!checked) return respond(not_checked(asked));
      const auto& result = *checked;
      audit(id, result.outcome == LoginOutcome::Ok ? "session.opened" : "session.refused", std::string(to_string(result.outcome)));
      switch (result.outcome) {
        case LoginOutcome::Ok: {
          const auto& s = sessions_.open(*result.account, Sessions::Clock::now());
          json answer = session_json(s);
          answer["csrf"] = s.csrf;  // sent back in X-CSRF-Token with every change
          auto response = ok(asked, answer);
          response.set(http::field::set_cookie, session_cookie(s.token));
          return respond(std::move(response));
        }
        case LoginOutcome::Locked:
        {
          const auto minutes = std::to_string(config_.accounts.lockout_minutes);
          return respond(error(asked, http::status::too_many_requests,
                               "too many wrong passwords: the account is locked for " + minutes +
                                   " minutes, or until a supervisor sets a new password",
                               {"error.login.locked", {{"minutes", minutes}}}));
        }
        case LoginOutcome::Disabled:
          return respond(error(asked, http::status::forbidden, "this account is disabled; ask a supervisor", {"error.login.disabled"}));
        default:
          return respond(error(asked, http::status::unauthorized, "wrong account or password", {"error.login.wrong"}));
      }
    }, answer_failure(answer_to, respond, "the log-in"));  // the session or its answer could not be made
  }

  // The current document's page image under one light, for the desk page.
  HttpResponse inspection_image(const HttpRequest& request, const std::string& light) {
    if (current_)
      for (const auto& image : current_->images)
        if (to_string(image.light) == light)
          return api::bytes_response(request, image_extension(image.encoded) == ".png" ? "image/png" : "image/jpeg",
                                     std::string(image.encoded.begin(), image.encoded.end()));
    return error(request, http::status::not_found, "the current document has no " + light + " image");
  }

  // Each person reads the pages in their own language, kept with the account.
  HttpResponse set_language(const HttpRequest& request, const json& j) {
    Session* s = nullptr;
    if (auto refusal = refuse_unless_logged_in(request, s)) return std::move(*refusal);
    const auto language = text_field(j, "language", true);
    if (!known_language(language)) throw BadRequest("language must be es, pt, en or fr");
    if (store_problem_.empty()) accounts_->set_language(s->account, language);
    s->language = language;
    return ok(request, session_json(*s));
  }

  // A session locked after inactivity opens again with the same person's password.
  void unlock_session(const HttpRequest& request, const LocalServer::Respond& respond) {
    const auto token = session_token(request);
    const auto [state, s] = sessions_.touch(token, Sessions::Clock::now());
    if (state == Sessions::State::Missing) return respond(error(request, http::status::unauthorized, "not logged in", {"error.session.missing"}));
    if (!csrf_ok(request, *s)) return respond(csrf_refused(request));
    auto password = text_field(body_object(request), "password", true);
    const auto account = s->account;
    auto answer_to = std::make_shared<HttpRequest>(request);
    check_password_off_loop(account, std::move(password), [this, token, account, answer_to, respond](std::optional<LoginResult> checked) {
      if (!checked) return respond(not_checked(*answer_to));
      const auto& result = *checked;
      if (result.outcome != LoginOutcome::Ok) {
        audit(account, "session.unlock-refused", std::string(to_string(result.outcome)));
        if (result.outcome != LoginOutcome::WrongPassword) sessions_.close(token);
        return respond(error(*answer_to, http::status::unauthorized, "wrong password", {"error.login.wrong_password"}));
      }
      sessions_.unlock(token, Sessions::Clock::now());
      const auto [now, session] = sessions_.touch(token, Sessions::Clock::now());
      if (!session)
        return respond(error(*answer_to, http::status::unauthorized, "the session ended meanwhile: log in again", {"error.session.missing"}));
      respond(ok(*answer_to, session_json(*session)));
    }, answer_failure(answer_to, respond, "unlocking the session"));
  }

  static HttpResponse csrf_refused(const HttpRequest& request) {
    return error(request, http::status::forbidden, "missing or wrong X-CSRF-Token header", {"error.session.csrf"});
  }

  // Every API call but logging in needs a person: a valid session (not locked), an account still
  // enabled, and for a change the session's CSRF token in the X-CSRF-Token header.
  std::optional<HttpResponse> refuse_unless_logged_in(const HttpRequest& request, Session*& session) {
    const auto token = session_token(request);
    // A page polling on its own (X-Borderpost-Poll) is not the person at it.
    const auto activity = request.find(kPollHeader) == request.end() ? Sessions::Activity::Person : Sessions::Activity::Background;
    const auto [state, s] = sessions_.touch(token, Sessions::Clock::now(), activity);
    if (state == Sessions::State::Missing)
      return error(request, http::status::unauthorized, "log in first (POST /api/session)", {"error.session.missing"});
    if (state == Sessions::State::Locked)
      return error(request, http::status::locked, "the session is locked after inactivity: enter the password again", {"error.session.locked"});
    const auto account = accounts_->find(s->account);
    if (!account || account->disabled) {
      sessions_.close(token);
      return error(request, http::status::unauthorized, "this account is no longer enabled", {"error.session.disabled"});
    }
    if (request.method() != http::verb::get && !csrf_ok(request, *s)) return csrf_refused(request);
    session = s;
    return std::nullopt;
  }

  HttpResponse set_direction(const HttpRequest& request, const json& j) {
    const auto direction = text_field(j, "direction", true);
    if (direction != "entry" && direction != "exit") throw BadRequest("direction must be entry or exit");
    if (!current_ || current_->state != "inspected") return nothing_to_decide(request);
    if (deciding_ == current_->id)  // the decision waits for the traveller's photo: it is taken as it was
      return error(request, http::status::conflict, "this inspection is already being decided", {"error.decision.decided"});
    current_->direction = direction;
    run_checks(*current_);
    publish_inspection("checks-done");
    return ok(request, to_json(*current_));
  }

  // A decision as the inspector made it, waiting to be recorded (with the traveller's photo).
  struct Decision {
    MovementDraft draft;
    LocalClock clock;
    std::string inspector;
  };

  // The inspector's decision: checked here, then (with a traveller camera) the photo is taken on a
  // worker and the movement recorded back on the loop. The photo never holds a decision back: no
  // camera or no face records the movement without it.
  void decide(const HttpRequest& request, const json& j, const Session& who, const LocalServer::Respond& respond) {
    Decision decision;
    if (auto refusal = prepare_decision(request, j, who, decision)) return respond(std::move(*refusal));
    auto inspection = current_;
    if (!traveller_camera_) return respond(record_decision(request, inspection, std::move(decision), std::nullopt));
    deciding_ = inspection->id;
    auto answer_to = std::make_shared<HttpRequest>(request);
    auto pending = std::make_shared<Decision>(std::move(decision));
    off_loop([camera = traveller_camera_.get()] { return camera->take_photo(); },
             [this, answer_to, inspection, pending, respond](std::optional<bridge::TravellerPhoto> photo) {
               deciding_ = 0;
               if (!photo) photo = bridge::TravellerPhoto{bridge::TravellerPhoto::Outcome::CameraUnavailable, {}, "the traveller camera failed"};
               last_photo_ = photo->outcome;
               respond(record_decision(*answer_to, inspection, std::move(*pending), std::move(photo)));
             },
             answer_failure(answer_to, respond, "the decision"));
  }

  // The decision's checks and its movement draft; a refusal to send instead when it cannot be taken.
  std::optional<HttpResponse> prepare_decision(const HttpRequest& request, const json& j, const Session& who, Decision& out) {
    if (!current_ || current_->state != "inspected") return nothing_to_decide(request);
    if (deciding_ == current_->id)
      return error(request, http::status::conflict, "this inspection is already being decided", {"error.decision.decided"});
    if (j.contains("inspection") && (!j["inspection"].is_number_unsigned() || j["inspection"].get<std::uint64_t>() != current_->id))
      return error(request, http::status::conflict, "that inspection is no longer the current one", {"error.decision.stale"});
    if (!store_problem_.empty()) return store_unavailable(request);
    if (j.contains("inspector")) throw BadRequest("the inspector is the logged-in account: leave inspector out");
    const std::string& inspector = who.account;
    const auto decision = text_field(j, "decision", true);
    if (decision != "admit" && decision != "refuse" && decision != "refer") throw BadRequest("decision must be admit, refuse or refer");
    auto direction = text_field(j, "direction");
    if (direction.empty()) direction = current_->direction;
    if (direction != "entry" && direction != "exit") throw BadRequest("direction must be entry or exit");
    const auto reason = text_field(j, "refusal_reason");
    if (decision == "refuse") {
      bool known = false;
      for (const auto& r : config_.refusal_reasons) known = known || r.code == reason;
      if (!known) throw BadRequest("a refusal needs refusal_reason, one of the codes in GET /api/refusal-reasons");
    } else if (!reason.empty()) {
      throw BadRequest("refusal_reason applies to refusals only");
    }
    const auto note = text_field(j, "note");
    const auto companion = text_field(j, "companion");
    if (note.size() > 2000 || companion.size() > 500)
      throw BadRequest("note (2000) or companion (500 characters) is too long", {"error.decision.too_long"});
    if (direction != current_->direction) {
      current_->direction = direction;
      run_checks(*current_);
    }
    if (current_->verdict.minor && decision == "admit" && companion.empty())
      return error(request, http::status::unprocessable_entity,
                   "the traveller is a minor: record the accompanying adult or the travel authorisation (companion) before admitting",
                   {"error.decision.minor_companion"});

    MovementDraft& draft = out.draft;
    draft.movement = movement_fields(*current_->document);
    draft.movement.direction = direction;
    draft.movement.decision = decision;
    draft.movement.inspector = inspector;
    draft.movement.checks = check_summary(current_->verdict.checks, std::string(to_string(current_->verdict.overall)));
    draft.refusal_reason = reason;
    draft.note = note;
    draft.companion = companion;
    draft.source = current_->source;
    draft.mrz_lines = current_->document->lines;
    out.clock = local_now();
    const auto& clock = out.clock;
    out.inspector = inspector;
    draft.local_date = clock.date;
    draft.local_time = clock.time;
    draft.checks = current_->verdict.checks;
    return std::nullopt;
  }

  HttpResponse record_decision(const HttpRequest& request, const std::shared_ptr<Inspection>& inspection, Decision d,
                               std::optional<bridge::TravellerPhoto> photo) {
    // Decided or abandoned meanwhile: nothing is recorded twice.
    if (inspection->state != "inspected") return nothing_to_decide(request);
    if (!store_problem_.empty()) return store_unavailable(request);
    const bool with_photo = photo && photo->outcome == bridge::TravellerPhoto::Outcome::Taken;
    std::vector<fs::path> written;
    try {
      written = save_images(*inspection, d.clock, d.draft, with_photo ? &photo->jpeg : nullptr);
      const auto stored = store_->record(d.draft, *outbox_, sync::now(), d.inspector);
      inspection->movement = stored;
      inspection->state = "decided";
    } catch (const std::exception& e) {
      for (const auto& p : written) {
        std::error_code ignored;
        fs::remove(p, ignored);
      }
      spdlog::error("inspection={} movement not recorded: {}", inspection->id, e.what());
      return not_recorded(request, e);
    }
    const auto& movement = *inspection->movement;
    spdlog::info("inspection={} recorded seq={} direction={} decision={}", inspection->id, movement.seq, movement.draft.movement.direction,
                 movement.draft.movement.decision);
    if (photo && !with_photo) {
      // Why the record has no photo, for the supervisor; the message names devices, never the person.
      spdlog::warn("inspection={} movement recorded without the traveller's photo: {}", inspection->id, photo->message);
      audit("system", "movement.traveller-photo-missing", movement.uuid, std::string(bridge::to_string(photo->outcome)) + ": " + photo->message);
    }
    if (inspection == current_) publish_inspection("movement-recorded");
    if (sync_loop_) sync_loop_->wake();
    return ok(request, to_json(movement, true), http::status::created);
  }

  HttpResponse nothing_to_decide(const HttpRequest& request) const {
    if (current_ && current_->state == "decided")
      return error(request, http::status::conflict, "this inspection is already decided", {"error.decision.decided"});
    return error(request, http::status::conflict, "no inspection is waiting for a decision", {"error.decision.none"});
  }

  // The database cannot take movements (store_problem_ says why): nothing is recorded until it can.
  HttpResponse store_unavailable(const HttpRequest& request) const {
    return api::not_written(request, said("The movement was NOT recorded.", "error.store.unavailable"), store_problem_);
  }

  // Why a movement write failed, in words for the inspector; nothing of it was kept.
  HttpResponse not_recorded(const HttpRequest& request, const std::exception& e) {
    const auto* db_error = dynamic_cast<const sync::sqlite::Error*>(&e);
    const int code = db_error ? (db_error->code & 0xff) : SQLITE_OK;
    const std::string what = e.what();
    if (code == SQLITE_FULL || what.find("No space left") != std::string::npos)
      return error(request, http::status::insufficient_storage,
                   "The station's disk is full: the movement was NOT recorded (" + what +
                       "). Nothing was kept; free space or call the supervisor, then decide again.",
                   {"error.store.full", {{"why", what}}});
    if (code == SQLITE_READONLY || what.find("Read-only file system") != std::string::npos) {
      store_problem_ = said("The station's disk has become read-only (" + what +
                                "): movements cannot be recorded. Make the disk writable, then restart the station.",
                            "error.store.became_read_only", {{"why", what}});
      return store_unavailable(request);
    }
    return error(request, http::status::service_unavailable,
                 "The movement was NOT recorded: " + what + ". Nothing was kept; call the supervisor, then decide again.",
                 {"error.store.failed", {{"why", what}}});
  }

  // The page images go to files beside the database before the movement that names them commits.
  // The traveller's photo goes beside them, as image "traveller".
  std::vector<fs::path> save_images(const Inspection& inspection, const LocalClock& clock, MovementDraft& draft,
                                    const std::vector<unsigned char>* traveller_photo) {
    std::vector<fs::path> written;
    if (inspection.images.empty() && !traveller_photo) return written;
    const auto dir = fs::path(config_.data_dir) / "captures" / clock.date;
    fs::create_directories(dir);
    const auto stem = sync::random_uuid();
    try {
      for (const auto& image : inspection.images) {
        const auto name = stem + "-" + std::string(to_string(image.light)) + image_extension(image.encoded);
        write_durably(dir / name, image.encoded);
        written.push_back(dir / name);
        draft.images.push_back({std::string(to_string(image.light)), (fs::path("captures") / clock.date / name).string()});
      }
      if (traveller_photo) {
        const auto name = stem + "-traveller.jpg";
        write_durably(dir / name, *traveller_photo);
        written.push_back(dir / name);
        draft.images.push_back({"traveller", (fs::path("captures") / clock.date / name).string()});
      }
    } catch (...) {
      for (const auto& p : written) fs::remove(p);
      throw;
    }
    return written;
  }

  HttpResponse manual_entry(const HttpRequest& request, const json& j) {
    if (current_ && deciding_ == current_->id)
      return error(request, http::status::conflict, "this inspection is already being decided", {"error.decision.decided"});
    const bool viz = j.contains("viz");
    mrz::Document document;
    const auto clock = local_now();
    mrz::ParseOptions options;
    options.as_of = clock.day;
    if (viz) {
      if (!j["viz"].is_object()) throw BadRequest("viz must be an object of the data page's fields");
      const auto& v = j["viz"];
      mrz::DocumentFields f;
      const auto kind = text_field(v, "layout");
      f.format = kind == "TD1" ? mrz::Format::TD1 : kind == "TD2" ? mrz::Format::TD2 : mrz::Format::TD3;
      f.document_code = text_field(v, "document_code");
      f.issuing_state = text_field(v, "issuing_state", true);
      f.surname = text_field(v, "surname", true);
      f.given_names = text_field(v, "given_names");
      f.document_number = text_field(v, "document_number", true);
      f.nationality = text_field(v, "nationality", true);
      const auto sex = text_field(v, "sex");
      f.sex = sex.empty() ? '<' : sex[0];
      for (auto [key, date] : {std::pair{"birth_date", &f.birth_date}, {"expiry_date", &f.expiry_date}}) {
        const auto text = text_field(v, key, true);
        int y = 0, m = 0, d = 0;
        if (std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) throw BadRequest(std::string(key) + " must be YYYY-MM-DD");
        date->year = y;
        date->month = m;
        date->day = d;
      }
      const auto formatted = mrz::format(f);
      if (!formatted.ok()) {
        std::string why;
        Phrase said{"error.viz.cannot_format"};
        for (const auto& p : formatted.problems) {
          why.append(why.empty() ? "" : "; ").append(p.message);
          said.parts.push_back(problem_phrase(p));
        }
        return error(request, http::status::unprocessable_entity, "these data page fields cannot make a document: " + why, said);
      }
      document = mrz::parse(formatted.text(), options);
    } else {
      document = mrz::parse(text_field(j, "mrz", true), options);
      if (!document.usable()) {
        json problems = json::array();
        Phrase said{"error.mrz.not_mrz"};
        for (const auto& p : document.problems) {
          problems.push_back(p.message);
          said.parts.push_back(problem_phrase(p));
        }
        return ok(request, {{"error", "this is not a machine-readable zone"}, {"phrase", to_json(said)}, {"problems", problems}},
                  http::status::unprocessable_entity);
      }
    }
    if (!current_ || current_->state == "decided") begin_inspection("manual");
    current_->source = viz ? MrzSource::VizTyped : MrzSource::Typed;
    current_->security = {};  // a typed MRZ has no page images to examine
    current_->document = document;
    current_->read_status.clear();
    current_->uncertain_fields.clear();
    current_->repaired.clear();
    current_->confidence.clear();
    if (const auto d = text_field(j, "direction"); !d.empty()) {
      if (d != "entry" && d != "exit") throw BadRequest("direction must be entry or exit");
      current_->direction = d;
    }
    start_chip_read(*current_);
    run_checks(*current_);
    publish_inspection("checks-done");
    return ok(request, to_json(*current_));
  }

  HttpResponse validate_mrz(const HttpRequest& request, const json& j) {
    mrz::ParseOptions options;
    options.as_of = local_now().day;
    return ok(request, mrz::cli::to_json(mrz::parse(text_field(j, "mrz", true), options)));
  }

  // The simulated reader needs no log-in (it stands for hardware), so another web site open in the
  // same browser must not drive it: a browser sends such a site's request with JSON only after a
  // CORS preflight this server never grants, and names the site in Origin.
  static bool from_no_other_site(const HttpRequest& request) {
    const auto type = request.find(http::field::content_type);
    if (type == request.end() || type->value().substr(0, 16) != "application/json") return false;
    const auto origin = request.find(http::field::origin);
    if (origin == request.end()) return true;
    const auto host = request.find(http::field::host);
    return host != request.end() && (origin->value() == "http://" + std::string(host->value()));
  }

  HttpResponse simulator(const HttpRequest& request, const std::string& action, http::verb method) {
    if (!simulated_) return error(request, http::status::not_found, "this post has no simulated page reader");
    if (method == http::verb::get && action == "samples") return ok(request, simulated_->samples());
    if (method != http::verb::post) return error(request, http::status::method_not_allowed, "use POST");
    if (!from_no_other_site(request))
      return error(request, http::status::forbidden,
                   "the simulated reader takes JSON (Content-Type: application/json) from this station's own pages or programs only");
    try {
      if (action == "place") {
        json j = json::parse(request.body(), nullptr, false);
        if (j.is_discarded() || !j.is_object()) throw BadRequest("the request body must be a JSON object");
        simulated_->place(text_field(j, "sample", true));
      } else if (action == "remove") {
        simulated_->remove();
      } else if (action == "unplug") {
        simulated_->unplug();
      } else if (action == "plug") {
        simulated_->plug();
      } else {
        return error(request, http::status::not_found, "no simulator action " + action);
      }
    } catch (const std::invalid_argument& e) {
      return error(request, http::status::not_found, e.what());
    } catch (const std::logic_error& e) {
      return error(request, http::status::conflict, e.what());
    }
    return ok(request, {{"ok", true}}, http::status::accepted);
  }

  // --- events ---
  void publish(const json& event) { server_->publish(event.dump()); }

  // The valid session of the page whose event feed `opened_by` opened; nullptr once it is locked or
  // ended. Sending it events is not the person's activity.
  Session* feed_session(const HttpRequest& opened_by) {
    const auto [state, s] = sessions_.touch(session_token(opened_by), Sessions::Clock::now(), Sessions::Activity::Background);
    return state == Sessions::State::Valid ? s : nullptr;
  }

  void publish_inspection(const char* event) {
    json inspection = to_json(*current_);
    const json message{{"event", event}, {"inspection", inspection}};
    if (!current_->document) return publish(message);
    // The pages it goes to show a traveller: each person it reached is audited.
    server_->publish(message.dump(), [this](const HttpRequest& opened_by) {
      if (const auto* s = feed_session(opened_by)) audit_viewed(s->account);
    });
  }

  // Sync state changes reach the pages within a second.
  void tick_status() {
    status_timer_.expires_after(std::chrono::seconds(1));
    status_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      try {
        auto state = sync_json();
        if (state != last_sync_) {
          last_sync_ = state;
          publish({{"event", "sync"}, {"sync", state}});
        }
      } catch (const std::exception& e) {
        spdlog::warn("sync status unavailable: {}", e.what());
      }
      tick_status();
    });
  }

  const StationConfig& config_;
  std::ostream& out_;
  asio::io_context io_{1};
  asio::thread_pool workers_;
  asio::signal_set signals_;
  asio::steady_timer status_timer_;
  std::string db_path_;
  Said store_problem_;  // why movements cannot be recorded; empty when they can
  std::unique_ptr<Store> store_;
  std::unique_ptr<sync::SigningKey> key_;
  std::unique_ptr<sync::Outbox> outbox_;
  std::unique_ptr<sync::StationWatchlist> watchlist_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<OfficeApi> office_;
  std::unique_ptr<AccountsApi> accounts_api_;
  Sessions sessions_{std::chrono::minutes(config_.accounts.session_idle_minutes), std::chrono::minutes(config_.accounts.session_hours * 60)};
  std::optional<std::uint64_t> persons_version_;
  std::vector<sync::WatchlistEntry> persons_;
  std::unique_ptr<mrz::optical::Reader> optical_;
  std::unique_ptr<security::PageExaminer> examiner_;
  int page_dpi_ = 300;
  std::unique_ptr<bridge::PageReader> page_reader_;
  bool chip_reader_missing_ = false;  // the last chip read found no reader or no PC/SC service
  std::unique_ptr<ChipReading> chip_reading_;
  std::unique_ptr<bridge::TravellerCamera> traveller_camera_;
  std::optional<bridge::TravellerPhoto::Outcome> last_photo_;
  std::uint64_t deciding_ = 0;  // the inspection whose decision waits for the traveller's photo
  bridge::SimulatedPageReader* simulated_ = nullptr;
  std::unique_ptr<LocalServer> server_;
  std::shared_ptr<Inspection> current_;
  std::uint64_t inspections_ = 0;
  std::set<std::string> viewed_by_;  // the accounts audited as having seen the current inspection
  json last_sync_;
  // sync, on its own thread and connection
  std::unique_ptr<sync::sqlite::Connection> sync_db_;
  std::unique_ptr<sync::Outbox> sync_outbox_;
  std::unique_ptr<sync::StationWatchlist> sync_watchlist_;
  std::unique_ptr<sync::Uploader> uploader_;
  std::unique_ptr<sync::SyncLoop> sync_loop_;
  std::jthread sync_thread_;
};

}  // namespace

int run_station(const StationConfig& config, std::ostream& out) {
  // Local dates and times of movements are the post's, whatever the machine's zone.
  ::setenv("TZ", config.post.time_zone.c_str(), 1);
  ::tzset();
  Station station(config, out);
  return station.run();
}

}  // namespace borderpost::station
