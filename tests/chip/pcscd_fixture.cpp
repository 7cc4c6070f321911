// The private pcscd and the bare PC/SC client of the chip tests (see pcscd_fixture.hpp).
#include "pcscd_fixture.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include <PCSC/winscard.h>

#include "process.hpp"

namespace borderpost::test::chip {

static_assert(std::is_same_v<SCARDCONTEXT, long> && std::is_same_v<SCARDHANDLE, long> && std::is_same_v<DWORD, unsigned long>,
              "pcscd_fixture.hpp keeps PC/SC handles as long");

namespace {

constexpr const char* kPcscd = "/usr/sbin/pcscd";
constexpr const char* kVpcdDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
constexpr const char* kPcscdSocket = "/run/pcscd/pcscd.comm";
constexpr const char* kPcscdPidFile = "/run/pcscd/pcscd.pid";

std::string pcsc_error(const char* call, LONG result) {
  return std::string(call) + ": " + pcsc_stringify_error(result);
}

// A context for one call sequence; released when it goes out of scope.
class Context {
 public:
  Context() {
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_) != SCARD_S_SUCCESS) context_ = 0;
  }
  ~Context() {
    if (context_) SCardReleaseContext(context_);
  }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  bool valid() const { return context_ != 0; }
  SCARDCONTEXT get() const { return context_; }

 private:
  SCARDCONTEXT context_ = 0;
};

std::vector<std::string> list_readers(SCARDCONTEXT context) {
  DWORD length = 0;
  if (SCardListReaders(context, nullptr, nullptr, &length) != SCARD_S_SUCCESS || length == 0) return {};
  std::string buffer(length, '\0');
  if (SCardListReaders(context, nullptr, buffer.data(), &length) != SCARD_S_SUCCESS) return {};
  std::vector<std::string> names;
  // A multi-string: names separated by NULs, ended by an empty one.
  for (std::size_t start = 0; start < buffer.size() && buffer[start] != '\0';) {
    const auto end = buffer.find('\0', start);
    names.push_back(buffer.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

bool socket_answers(const char* path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path);
  const bool answers = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return answers;
}

bool pid_file_names_live_process(const char* path) {
  std::ifstream in(path);
  long pid = 0;
  return in >> pid && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}

// Whether a listening socket could be bound on `port` now, as vpcd binds it (no SO_REUSEADDR).
bool port_free(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  const bool free = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return free;
}

// The previous test's pcscd closed its vpcd connections first, so their ports can sit in TIME_WAIT
// for up to a minute; vpcd binds without SO_REUSEADDR and would fail ("Address already in use").
void wait_for_free_ports(std::chrono::steady_clock::time_point deadline) {
  while (!(port_free(test_reader_a().port) && port_free(test_reader_b().port))) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the vpcd test ports " + std::to_string(test_reader_a().port) + " and " +
                               std::to_string(test_reader_b().port) + " stay in use");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::string hex16(std::uint16_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "%04X", value);
  return text;
}

}  // namespace

const TestReader& test_reader_a() {
  static const TestReader reader{0, 35970};
  return reader;
}

const TestReader& test_reader_b() {
  static const TestReader reader{1, 35971};
  return reader;
}

bool pcscd_running() { return socket_answers(kPcscdSocket) || pid_file_names_live_process(kPcscdPidFile); }

std::vector<std::string> reader_names() {
  Context context;
  return context.valid() ? list_readers(context.get()) : std::vector<std::string>{};
}

PrivatePcscd::PrivatePcscd(const std::filesystem::path& work_dir, int timeout_ms) {
  if (pcscd_running())
    throw std::runtime_error("another pcscd is running (/run/pcscd/pcscd.comm answers or pcscd.pid is live): stop it "
                             "first, the chip tests need their own with the vpcd test reader");
  const auto config = work_dir / "reader.conf.d";
  std::filesystem::remove_all(config);
  std::filesystem::create_directories(config);
  {
    // vpcd takes its port from DEVICENAME (/dev/null: the driver listens, the card connects).
    const auto port = hex16(test_reader_a().port);
    std::ofstream file(config / "borderpost-test-chip");
    file << "FRIENDLYNAME \"" << kTestReaderName << "\"\n"
         << "DEVICENAME /dev/null:0x" << port << "\n"
         << "LIBPATH " << kVpcdDriver << "\n"
         << "CHANNELID 0x" << port << "\n";
    if (!file) throw std::runtime_error("cannot write " + config.string());
  }
  wait_for_free_ports(std::chrono::steady_clock::now() + std::chrono::seconds(90));
  std::vector<std::string> arguments{"-f", "-c", config.string()};
  if (const char* debug = std::getenv("BORDERPOST_PCSCD_DEBUG"); debug && *debug && std::string(debug) != "0")
    arguments.insert(arguments.end(), {"-d", "-a"});
  process_ = std::make_unique<BackgroundProcess>(kPcscd, arguments, work_dir.string());

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int listed = 0;
    for (const auto& name : reader_names()) listed += name.rfind(kTestReaderName, 0) == 0;
    if (listed >= 2) return;
    if (std::chrono::steady_clock::now() > deadline) {
      const auto log = output();
      stop();
      throw std::runtime_error("pcscd did not list the test reader in time; its output: " + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

PrivatePcscd::~PrivatePcscd() { stop(); }

std::string PrivatePcscd::reader_name(const TestReader& reader) const {
  const std::string suffix = " 0" + std::to_string(reader.slot);  // "<name> <reader number> <slot>"
  for (const auto& name : reader_names())
    if (name.rfind(kTestReaderName, 0) == 0 && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return name;
  throw std::runtime_error(std::string("pcscd does not list slot ") + std::to_string(reader.slot) + " of " + kTestReaderName);
}

void PrivatePcscd::stop() {
  if (process_) process_->stop(SIGTERM);
}

std::string PrivatePcscd::output() const { return process_ ? process_->output() + process_->errors() : std::string(); }

bool wait_for_card_state(const std::string& reader, bool present, int timeout_ms) {
  Context context;
  if (!context.valid()) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  SCARD_READERSTATE state{};
  state.szReader = reader.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const LONG result = SCardGetStatusChange(context.get(), static_cast<DWORD>(left.count()), &state, 1);
    if (result == SCARD_E_TIMEOUT) return false;
    if (result != SCARD_S_SUCCESS) return false;
    const bool card_there = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
    if (card_there == present) return true;
    state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
  }
}

PcscCard::PcscCard(const std::string& reader) {
  LONG result = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_);
  if (result != SCARD_S_SUCCESS) throw std::runtime_error(pcsc_error("SCardEstablishContext", result));
  DWORD protocol = 0;
  result = SCardConnect(context_, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card_, &protocol);
  if (result != SCARD_S_SUCCESS) {
    SCardReleaseContext(context_);
    throw std::runtime_error(pcsc_error("SCardConnect", result));
  }
  protocol_ = protocol;
  BYTE atr[MAX_ATR_SIZE];
  DWORD atr_length = sizeof atr, reader_length = 0, card_state = 0, card_protocol = 0;
  if (SCardStatus(card_, nullptr, &reader_length, &card_state, &card_protocol, atr, &atr_length) == SCARD_S_SUCCESS)
    atr_.assign(atr, atr + atr_length);
}

PcscCard::~PcscCard() {
  SCardDisconnect(card_, SCARD_LEAVE_CARD);
  SCardReleaseContext(context_);
}

station::emrtd::Bytes PcscCard::transmit(station::emrtd::ByteView command) {
  station::emrtd::Bytes answer(65536 + 2);
  DWORD length = static_cast<DWORD>(answer.size());
  const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  const LONG result = SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, answer.data(), &length);
  if (result != SCARD_S_SUCCESS) throw std::runtime_error(pcsc_error("SCardTransmit", result));
  answer.resize(length);
  return answer;
}

station::emrtd::ResponseApdu PcscCard::transmit(const station::emrtd::CommandApdu& command) {
  return station::emrtd::ResponseApdu::parse(transmit(command.encode()));
}

}  // namespace borderpost::test::chip
