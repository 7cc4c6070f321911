// The post's chip reader on its own thread: wait for the chip, open it with the MRZ's keys, read
// and verify it (station/emrtd), decode the face for the pages.
#include "daemon/chip_reading.hpp"

#include <opencv2/imgcodecs.hpp>
#include <spdlog/spdlog.h>

#include "firmware_bridge/chip_reader.hpp"
#include "emrtd/trust_store.hpp"

namespace borderpost::station {

namespace fs = std::filesystem;
using bridge::ChipReaderError;

namespace {

// The chip's face as JPEG for the pages, whatever DG2 stored (JPEG or JPEG 2000); empty when it
// does not decode.
std::vector<unsigned char> face_for_pages(const emrtd::ChipReport& report) {
  std::vector<unsigned char> jpeg;
  if (report.faces.empty()) return jpeg;
  const auto& encoded = report.faces.front().encoded;
  const cv::Mat image = cv::imdecode(cv::Mat(1, static_cast<int>(encoded.size()), CV_8U, const_cast<std::uint8_t*>(encoded.data())),
                                     cv::IMREAD_COLOR);
  if (!image.empty()) cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
  return jpeg;
}

// The trust store, read again when certificates were imported since (the directory changed).
class Trust {
 public:
  explicit Trust(fs::path directory) : store_(std::move(directory)) {}
  const emrtd::TrustStore& current() {
    std::error_code ec;
    const auto changed = fs::last_write_time(store_.directory(), ec);
    if (!seen_ || (!ec && changed != *seen_)) {
      store_.reload();
      if (!ec) seen_ = changed;
    }
    return store_;
  }

 private:
  emrtd::TrustStore store_;
  std::optional<fs::file_time_type> seen_;
};

}  // namespace

ChipReading::ChipReading(ChipReadSettings settings, Done done) : settings_(std::move(settings)), done_(std::move(done)) {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

ChipReading::~ChipReading() { stop(); }

void ChipReading::read(std::uint64_t id, std::string mrz_information, std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  next_ = Job{id, std::move(mrz_information), now};
  wanted_ = id;
  if (readers_) readers_->cancel();
  wake_.notify_all();
}

void ChipReading::cancel() {
  std::lock_guard lock(mutex_);
  next_.reset();
  wanted_ = 0;
  if (readers_) readers_->cancel();
}

void ChipReading::stop() {
  if (!thread_.joinable()) return;
  cancel();
  thread_.request_stop();
  thread_.join();
}

bool ChipReading::superseded(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  return wanted_ != id;
}

void ChipReading::run(std::stop_token stop) {
  std::unique_ptr<bridge::PcscReaders> readers;
  Trust trust(settings_.trust_directory);
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait(lock, stop, [this] { return next_.has_value(); })) return;
      job = std::move(*next_);
      next_.reset();
    }
    ChipReadResult result;
    result.inspection = job.id;
    const auto started = std::chrono::steady_clock::now();
    try {
      if (!readers) readers = std::make_unique<bridge::PcscReaders>();
      {
        std::lock_guard lock(mutex_);
        readers_ = readers.get();
      }
      // A cancel() before the wait began is not seen by PC/SC: look once more.
      if (superseded(job.id)) throw ChipReaderError(ChipReaderError::Kind::Cancelled, "superseded");
      const auto reader = readers->wait_for_card(settings_.reader, settings_.wait);
      if (!reader) {
        result.facts.state = ChipFacts::State::absent;
        result.facts.detail = "no chip answered within " + std::to_string(settings_.wait.count()) + " ms";
      } else {
        const auto channel = readers->connect(*reader);
        emrtd::ChipReadOptions options;
        options.now = job.now;
        result.facts.report = emrtd::read_chip([&channel](emrtd::ByteView command) { return channel->transmit(command); },
                                               job.mrz_information, trust.current(), options);
        result.facts.state = ChipFacts::State::read;
        result.face_jpeg = face_for_pages(result.facts.report);
      }
    } catch (const ChipReaderError& e) {
      using Kind = ChipReaderError::Kind;
      result.facts.state = e.kind == Kind::NoCard || e.kind == Kind::CardRemoved ? ChipFacts::State::absent : ChipFacts::State::unavailable;
      result.facts.detail = e.what();
      // pcscd restarted or went away: the next read starts a new PC/SC context.
      if (e.kind == Kind::NoService || e.kind == Kind::Failed) {
        std::lock_guard lock(mutex_);
        readers_ = nullptr;
        readers.reset();
      }
    } catch (const std::exception& e) {
      result.facts.state = ChipFacts::State::unavailable;
      result.facts.detail = e.what();
    }
    {
      std::lock_guard lock(mutex_);
      readers_ = nullptr;
    }
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (superseded(job.id) || stop.stop_requested()) {
      spdlog::info("chip inspection={} read abandoned (a newer document, or taken away)", job.id);
      continue;
    }
    spdlog::info("chip inspection={} state={} ms={:.0f}{}", job.id, to_string(result.facts.state), ms,
                 result.facts.detail.empty() ? "" : " detail=" + result.facts.detail);
    done_(std::move(result));
  }
}

}  // namespace borderpost::station
