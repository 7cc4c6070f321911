// The station daemon's wiring: device events and API requests meet on one event loop; optical
// reading runs on a worker pool; sync runs on its own thread with its own database connection.
// What happens at the desk is the Desk's; what a request gets is the Router's.
#include "daemon/app.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "daemon/chip_reading.hpp"
#include "firmware_bridge/profile.hpp"
#include "firmware_bridge/simulated_page_reader.hpp"
#include "firmware_bridge/traveller_camera.hpp"
#include "page_reading.hpp"
#include "store/store.hpp"
#include "sync/crypto.hpp"
#include "sync/station_watchlist.hpp"
#include "sync/uploader.hpp"
#include "web/router.hpp"

namespace borderpost::station {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using nlohmann::json;

class Station {
 public:
  Station(const StationConfig& config, std::ostream& out)
      : config_(config), out_(out), workers_(static_cast<std::size_t>(config.reading.workers)), signals_(io_, SIGINT, SIGTERM),
        status_timer_(io_) {}

  int run() {
    open_store();
    open_reader();
    open_api();
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
    key_ = std::make_unique<sync::SigningKey>(load_signing_key(config_, !store_problem_.empty()));
    outbox_ = std::make_unique<sync::Outbox>(store_->db(), config_.post.station_id, key_->share());
    watchlist_ = std::make_unique<sync::StationWatchlist>(store_->db());
    accounts_ = std::make_unique<Accounts>(store_->db(), config_.accounts.cost(), config_.accounts.lockout());
    if (accounts_->count() == 0)
      spdlog::warn("no accounts yet: create the first with `borderpost users add --config {} --role administrator ...`", config_.file);
  }

  void open_reader() {
    optical_ = std::make_unique<mrz::optical::Reader>();
    examiner_ = std::make_unique<security::PageExaminer>(*optical_);
    open_chip_reader();
    open_traveller_camera();
    open_desk();
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
    const auto trust = fs::path(config_.data_dir) / "trust" / "csca";
    ChipReadSettings settings{name == "any" ? std::string() : name, std::chrono::milliseconds(config_.devices.chip_wait_ms), trust};
    chip_reading_ = std::make_unique<ChipReading>(std::move(settings), [this](ChipReadResult result) {
      asio::post(io_, [this, result = std::move(result)]() mutable { on_chip_read(std::move(result)); });
    });
    spdlog::info("chip reader: {} (trust store {})", name, trust.string());
  }

  // A wrong profile stops the station at start-up, like the page reader's; the camera itself is
  // looked for at each photo, so one unplugged now is no reason to refuse to start.
  void open_traveller_camera() {
    if (config_.devices.traveller_camera.empty()) return;
    traveller_camera_ = std::make_unique<bridge::TravellerCamera>(bridge::load_profile(config_.devices.traveller_camera));
    spdlog::info("traveller camera: {} ({})", traveller_camera_->model(), config_.devices.traveller_camera);
  }

  void open_desk() {
    auto changed = [this](const char* event) { publish_inspection(event); };
    auto recorded = [this] { if (sync_loop_) sync_loop_->wake(); };  // a new record to send
    Desk::Context context{config_, *store_, *outbox_, *watchlist_, store_problem_, audit_writer(), changed, {}, {}, recorded};
    if (chip_reading_) {
      context.read_chip = [this](std::uint64_t id, std::string information) {
        chip_reading_->read(id, std::move(information), std::chrono::system_clock::now());
      };
      context.cancel_chip = [this] { chip_reading_->cancel(); };
    }
    desk_ = std::make_unique<Desk>(std::move(context));
  }

  // The local API: one handler per area, a router over them, the server in front.
  void open_api() {
    auto problem = [this]() -> const Said& { return store_problem_; };
    office_ = std::make_unique<OfficeApi>(OfficeApi::Context{config_, *store_, *key_, [this] { return desk_->clock().date; }, problem, audit_writer()});
    accounts_api_ = std::make_unique<AccountsApi>(AccountsApi::Context{
        *accounts_, sessions_, problem, audit_writer(), background_});
    session_api_ = std::make_unique<SessionApi>(SessionApi::Context{*accounts_, sessions_, background_, config_.accounts.session_idle_minutes,
                                                                    config_.accounts.lockout_minutes, problem, audit_writer()});
    desk_api_ = std::make_unique<DeskApi>(DeskApi::Context{config_, *desk_, background_, traveller_camera_.get(),
                                                           [this](bridge::TravellerPhoto::Outcome outcome) { last_photo_ = outcome; },
                                                           [this] { return status_json(); }, audit_writer()});
    simulator_api_ = std::make_unique<SimulatorApi>(simulated_);
    router_ = std::make_unique<Router>(Router::Context{config_.api.web_dir, *session_api_, *accounts_api_, *desk_api_, *office_, *simulator_api_});
    server_ = std::make_unique<LocalServer>(io_, config_.api.address, static_cast<unsigned short>(config_.api.port), "/api/events",
                                            [this](const HttpRequest& r, const LocalServer::Respond& respond) { router_->handle(r, respond); });
    server_->set_events_gate([this](const HttpRequest& r) {
      return sessions_.touch(session_token(r), Sessions::Clock::now()).first == Sessions::State::Valid;
    });
    // A locked or ended session's page gets no more travellers' data; it learns why on reconnecting.
    server_->set_events_still_allowed([this](const HttpRequest& r) { return session_api_->feed_session(r) != nullptr; });
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
  AuditWriter audit_writer() {
    return [this](const std::string& actor, const std::string& action, const std::string& subject, const std::string& d) { audit(actor, action, subject, d); };
  }

  // --- device events ---
  void on_device(const bridge::DeviceEvent& event) {
    using Kind = bridge::DeviceEvent::Kind;
    spdlog::info("device event={} device={}", bridge::to_string(event.kind), event.device);
    switch (event.kind) {
      case Kind::Connected:
      case Kind::Disconnected:
        if (event.kind == Kind::Disconnected) desk_->reader_lost();
        publish({{"event", "device"}, {"reader", device_json()}});
        break;
      case Kind::DocumentPlaced: desk_->begin(event.device); break;
      case Kind::Captured: on_captured(event.capture); break;
      case Kind::Failed: desk_->capture_failed(event.message); break;
      case Kind::DocumentRemoved: publish({{"event", "document-removed"}, {"inspection", desk_->current() ? desk_->current()->id : 0}}); break;
    }
  }

  // The page is read on a worker; what it gave goes back to the desk on the loop.
  void on_captured(const bridge::Capture& capture) {
    if (capture.images.empty() && !capture.mrz_lines.empty()) return desk_->text_read(capture);
    auto inspection = desk_->captured(capture);
    const bridge::PageImage* white = nullptr;
    for (const auto& image : capture.images)
      if (image.light == bridge::Light::White) white = &image;
    if (!white)
      return desk_->no_document(*inspection, DeskState::unusable, "The reader delivered no white-light image. Place the document again.",
                                {"desk.message.no_white_image"});
    mrz::optical::ReadOptions options;
    options.time_budget_ms = config_.reading.time_budget_ms;
    options.parse.as_of = desk_->clock().day;
    auto images = std::make_shared<const std::vector<bridge::PageImage>>(capture.images);
    asio::post(workers_, [this, inspection, images, white_bytes = white->encoded, options, lamps_failed = capture.lamps_failed] {
      auto page = std::make_shared<PageReading>(read_page(*optical_, *examiner_, page_dpi_, white_bytes, *images, lamps_failed, options));
      asio::post(io_, [this, inspection, page] {
        if (inspection == desk_->current()) {
          inspection->portrait = std::move(page->portrait);
          inspection->security = std::move(page->security);
        }
        desk_->page_read(inspection, page->read);
      });
    });
  }

  void on_chip_read(ChipReadResult result) {
    const bool missing = result.facts.state == ChipFacts::State::unavailable;
    if (missing != chip_reader_missing_) {
      chip_reader_missing_ = missing;
      publish({{"event", "device"}, {"chip_reader", chip_reader_json()}});
    }
    desk_->chip_read(result.inspection, std::move(result.facts), std::move(result.face_jpeg));
  }

  // --- status ---
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
    const auto clock = desk_->clock();
    return {{"station", config_.post.station_id}, {"post", config_.post.name}, {"country", config_.post.country},
            {"local_date", clock.date}, {"local_time", clock.time}, {"default_direction", to_string(config_.post.default_direction)},
            {"reader", device_json()}, {"sync", sync_json()},
            {"chip_reader", chip_reader_json()}, {"camera", camera_json()}, {"inspection", desk_->current() ? desk_->current()->id : 0},
            {"movements", store_->movement_count()},
            {"store", {{"writable", store_problem_.empty()}, {"problem", store_problem_.english}, {"problem_phrase", to_json(store_problem_.phrase)}}}};
  }

  // --- events ---
  void publish(const json& event) { server_->publish(event.dump()); }

  void publish_inspection(const char* event) {
    const auto& current = desk_->current();
    const json message{{"event", event}, {"inspection", to_json(*current)}};
    if (!current->document) return publish(message);
    // The pages it goes to show a traveller: each person it reached is audited.
    server_->publish(message.dump(), [this](const HttpRequest& opened_by) {
      if (const auto* s = session_api_->feed_session(opened_by)) desk_->viewed(s->account);
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
  Background background_{io_, workers_};
  asio::signal_set signals_;
  asio::steady_timer status_timer_;
  std::string db_path_;
  Said store_problem_;  // why movements cannot be recorded; empty when they can
  std::unique_ptr<Store> store_;
  std::unique_ptr<sync::SigningKey> key_;
  std::unique_ptr<sync::Outbox> outbox_;
  std::unique_ptr<sync::StationWatchlist> watchlist_;
  std::unique_ptr<Accounts> accounts_;
  Sessions sessions_{std::chrono::minutes(config_.accounts.session_idle_minutes), std::chrono::minutes(config_.accounts.session_hours * 60)};
  // devices and readers
  std::unique_ptr<mrz::optical::Reader> optical_;
  std::unique_ptr<security::PageExaminer> examiner_;
  int page_dpi_ = 300;
  std::unique_ptr<bridge::PageReader> page_reader_;
  bridge::SimulatedPageReader* simulated_ = nullptr;
  bool chip_reader_missing_ = false;  // the last chip read found no reader or no PC/SC service
  std::unique_ptr<ChipReading> chip_reading_;
  std::unique_ptr<bridge::TravellerCamera> traveller_camera_;
  std::optional<bridge::TravellerPhoto::Outcome> last_photo_;
  // the desk and the local API
  std::unique_ptr<Desk> desk_;
  std::unique_ptr<OfficeApi> office_;
  std::unique_ptr<AccountsApi> accounts_api_;
  std::unique_ptr<SessionApi> session_api_;
  std::unique_ptr<DeskApi> desk_api_;
  std::unique_ptr<SimulatorApi> simulator_api_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<LocalServer> server_;
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
