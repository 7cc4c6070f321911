// borderpost-simreader: the simulated page reader as a process of its own, serving the sample
// documents over a Unix socket (protocol: firmware_bridge/simreader_protocol.hpp). Killing it is
// unplugging the reader; starting it again is plugging it back in.
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <list>
#include <mutex>
#include <string>

#include "firmware_bridge/simreader_protocol.hpp"
#include "firmware_bridge/simulated_page_reader.hpp"

namespace {

using namespace borderpost::bridge;
using simreader::Link;
using simreader::Message;
using simreader::Type;

volatile std::sig_atomic_t stopping = 0;
void on_signal(int) { stopping = 1; }

constexpr const char* kUsage =
    "usage: borderpost-simreader --socket PATH --samples DIR [--profile FILE] [--delay-ms N]\n"
    "  Serves the sample documents in DIR (one folder each: white/ir/uv images) as a page reader\n"
    "  on the Unix socket PATH. --profile: a simulated page reader's hw-profile (lights, delay);\n"
    "  --delay-ms: time from placement to the images (default: the profile's, else 350).\n"
    "  Prints \"simreader: listening on PATH\" when ready. A socket file left at PATH is replaced only\n"
    "  when no simulator answers on it (PATH.lock, kept beside it, lets only one start at a time).\n"
    "  Exit codes: 0 stopped by SIGTERM/SIGINT, 2 bad arguments, 1 the socket or the samples cannot\n"
    "  be used (another simulator listens on PATH, ...).\n";

std::runtime_error already_served(const std::string& path) {
  return std::runtime_error("another simulated reader is already listening on " + path + "; stop it first or choose another --socket");
}

// Whether a process accepts connections on the socket at `address` now. A stale socket file
// (its simulator was killed) refuses the connection; a full backlog still means a live listener.
bool someone_listens(const sockaddr_un& address, const std::string& path) {
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (probe < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  const int r = ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int error = errno;
  ::close(probe);
  if (r == 0 || error == EAGAIN) return true;
  if (error == ECONNREFUSED || error == ENOENT) return false;
  throw std::runtime_error("cannot tell whether " + path + " is in use: " + std::strerror(error));
}

// Held for the process's life: two simulators started at once on one path take turns at the check
// below instead of both finding the old file stale and removing each other's socket. The lock file
// stays beside the socket (removing it would reopen that race).
void lock_socket_path(const std::string& path) {
  const std::string lock_path = path + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot listen on " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) throw already_served(path);
    throw std::runtime_error("cannot lock " + lock_path + ": " + std::strerror(error));
  }
}

int listen_on(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) throw std::runtime_error("the socket path " + path + " is too long");
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  lock_socket_path(path);
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) == 0) {
    if (!S_ISSOCK(existing.st_mode)) throw std::runtime_error(path + " exists and is not a socket; it is left alone");
    if (someone_listens(address, path)) throw already_served(path);
    // Nobody answers: the file was left by a simulator that was killed.
    ::unlink(path.c_str());
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 8) != 0) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error("cannot listen on " + path + ": " + std::strerror(error));
  }
  return fd;
}

// The connected clients; events go to all of them, from the simulated reader's thread.
struct Clients {
  std::mutex mutex;
  std::list<Link> links;
  void broadcast(const Message& message) {
    std::lock_guard lock(mutex);
    for (auto it = links.begin(); it != links.end();) {
      try {
        it->send(message);
        ++it;
      } catch (const simreader::ProtocolError&) {
        it = links.erase(it);  // that client has gone
      }
    }
  }
};

Message event_message(const DeviceEvent& event, const std::string& sample) {
  switch (event.kind) {
    case DeviceEvent::Kind::DocumentPlaced: return {Type::Placed, sample, {}};
    case DeviceEvent::Kind::Captured: return {Type::Captured, event.capture.sample, event.capture.images};
    case DeviceEvent::Kind::DocumentRemoved: return {Type::Removed, {}, {}};
    case DeviceEvent::Kind::Failed: return {Type::Failed, event.message, {}};
    default: return {Type::Connected, event.message, {}};
  }
}

// Answers one command from one client.
Message command(SimulatedPageReader& reader, const Message& m, std::string& placed_sample, std::mutex& sample_mutex) {
  try {
    if (m.type == Type::Place) {
      {
        std::lock_guard lock(sample_mutex);
        placed_sample = m.text;
      }
      reader.place(m.text);
      return {Type::Ok, {}, {}};
    }
    if (m.type == Type::Remove) {
      reader.remove();
      return {Type::Ok, {}, {}};
    }
    return {Type::Error, "not a command the simulated reader takes", {}};
  } catch (const std::exception& e) {
    return {Type::Error, e.what(), {}};
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket_path, samples, profile_file;
  int delay_ms = -1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n" << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--socket") socket_path = value();
    else if (arg == "--samples") samples = value();
    else if (arg == "--profile") profile_file = value();
    else if (arg == "--delay-ms") {
      try {
        delay_ms = std::stoi(value());
      } catch (const std::exception&) {
        delay_ms = -2;
      }
      if (delay_ms < 0 || delay_ms > 60'000) {
        std::cerr << "--delay-ms must be 0 to 60000\n";
        return 2;
      }
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "unknown argument " << arg << "\n" << kUsage;
      return 2;
    }
  }
  if (socket_path.empty() || samples.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  try {
    DeviceProfile profile;
    if (!profile_file.empty()) {
      profile = load_profile(profile_file);
    } else {
      profile.id = "simulated-page-reader-process";
      profile.model = "Simulated full-page reader in its own process (white/IR/UV)";
      profile.device_class = DeviceClass::PageReader;
      profile.driver = Driver::Simulated;
      profile.lights = {Light::White, Light::Infrared, Light::Ultraviolet};
    }
    if (delay_ms >= 0) profile.capture_delay_ms = delay_ms;
    SimulatedPageReader reader(profile, samples);  // checks the samples folder; no thread yet
    // The socket before the reader's thread: a simulator that cannot listen ends with nothing running.
    const int listener = listen_on(socket_path);
    // Removed at exit only if it is still ours: a simulator started meanwhile may have replaced it.
    struct stat bound {};
    ::stat(socket_path.c_str(), &bound);
    Clients clients;
    std::mutex sample_mutex;
    std::string placed_sample;
    reader.start([&](const DeviceEvent& event) {
      if (event.kind == DeviceEvent::Kind::Connected || event.kind == DeviceEvent::Kind::Disconnected) return;  // per connection
      std::string sample;
      {
        std::lock_guard lock(sample_mutex);
        sample = placed_sample;
      }
      clients.broadcast(event_message(event, sample));
    });
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::signal(SIGPIPE, SIG_IGN);
    std::cout << "simreader: listening on " << socket_path << std::endl;
    while (!stopping) {
      std::vector<pollfd> fds{{listener, POLLIN, 0}};
      {
        std::lock_guard lock(clients.mutex);
        for (const auto& link : clients.links) fds.push_back({link.fd(), POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), 200) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
          Link link(fd);
          try {
            link.send({Type::Connected, profile.model, {}});
            std::lock_guard lock(clients.mutex);
            clients.links.push_back(std::move(link));
          } catch (const simreader::ProtocolError&) {
          }
        }
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        std::unique_lock lock(clients.mutex);
        auto it = std::find_if(clients.links.begin(), clients.links.end(), [&](const Link& l) { return l.fd() == fds[i].fd; });
        if (it == clients.links.end()) continue;
        try {
          while (auto m = it->receive(0)) {
            lock.unlock();  // the reader's events take the clients' lock
            const auto answer = command(reader, *m, placed_sample, sample_mutex);
            lock.lock();
            it = std::find_if(clients.links.begin(), clients.links.end(), [&](const Link& l) { return l.fd() == fds[i].fd; });
            if (it == clients.links.end()) break;
            it->send(answer);
          }
        } catch (const simreader::ProtocolError&) {
          if (it != clients.links.end()) clients.links.erase(it);  // closed or spoke nonsense: drop it
        }
      }
    }
    reader.stop();
    ::close(listener);
    struct stat now {};
    if (::stat(socket_path.c_str(), &now) == 0 && now.st_ino == bound.st_ino && now.st_dev == bound.st_dev) {
      std::error_code ignored;
      std::filesystem::remove(socket_path, ignored);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "borderpost-simreader: " << e.what() << "\n";
    return 1;
  }
}
