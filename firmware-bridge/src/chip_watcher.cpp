// The chip readers' own thread (see chip_reader.hpp).
#include "firmware_bridge/chip_reader.hpp"

namespace borderpost::bridge {

ChipWatcher::ChipWatcher(std::string reader_name) : reader_name_(std::move(reader_name)) {}

ChipWatcher::~ChipWatcher() { stop(); }

void ChipWatcher::start(Listener listener) {
  listener_ = std::move(listener);
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void ChipWatcher::stop() {
  stopping_ = true;
  {
    std::lock_guard lock(readers_mutex_);
    if (readers_) readers_->cancel();
  }
  if (thread_.joinable()) thread_.join();
}

void ChipWatcher::run() {
  using namespace std::chrono_literals;
  std::string last_problem;  // report a problem once, not on every retry
  const auto pause = [this] {
    for (int i = 0; i < 20 && !stopping_; ++i) std::this_thread::sleep_for(100ms);
  };
  while (!stopping_) {
    try {
      PcscReaders readers;
      {
        std::lock_guard lock(readers_mutex_);
        readers_ = &readers;
      }
      struct Forget {
        ChipWatcher* watcher;
        ~Forget() {
          std::lock_guard lock(watcher->readers_mutex_);
          watcher->readers_ = nullptr;
        }
      } forget{this};
      while (!stopping_) {
        const auto reader = readers.wait_for_card(reader_name_, 1s);
        if (!reader) continue;
        last_problem.clear();
        try {
          const auto channel = readers.connect(*reader);
          listener_(Event{Event::Kind::CardPlaced, *reader, "", channel.get()});
        } catch (const ChipReaderError& e) {
          if (e.kind == ChipReaderError::Kind::Cancelled) throw;
          listener_(Event{Event::Kind::Unavailable, *reader, e.what(), nullptr});
        }
        while (!stopping_ && !readers.wait_for_removal(*reader, 1s)) {
        }
        if (!stopping_) listener_(Event{Event::Kind::CardRemoved, *reader, "", nullptr});
      }
    } catch (const ChipReaderError& e) {
      if (stopping_) break;
      if (e.what() != last_problem) {
        last_problem = e.what();
        listener_(Event{Event::Kind::Unavailable, reader_name_, e.what(), nullptr});
      }
      pause();
    }
  }
}

}  // namespace borderpost::bridge
