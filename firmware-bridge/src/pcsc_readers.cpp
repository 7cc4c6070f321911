// PC/SC through pcsc-lite (see chip_reader.hpp).
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <algorithm>

#include "firmware_bridge/chip_reader.hpp"

namespace borderpost::bridge {

namespace {

using Kind = ChipReaderError::Kind;

std::string describe(LONG rv) { return std::string(pcsc_stringify_error(rv)); }

[[noreturn]] void fail(LONG rv, const std::string& doing) {
  Kind kind = Kind::Failed;
  switch (rv) {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED: kind = Kind::NoService; break;
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
    case SCARD_E_NO_READERS_AVAILABLE: kind = Kind::NoReader; break;
    case SCARD_E_NO_SMARTCARD: kind = Kind::NoCard; break;
    case SCARD_W_REMOVED_CARD:
    case SCARD_W_RESET_CARD:
    case SCARD_W_UNPOWERED_CARD:
    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_E_NOT_TRANSACTED: kind = Kind::CardRemoved; break;
    case SCARD_E_CANCELLED: kind = Kind::Cancelled; break;
    default: break;
  }
  throw ChipReaderError(kind, doing + ": " + describe(rv));
}

SCARDCONTEXT handle(std::intptr_t context) { return static_cast<SCARDCONTEXT>(context); }

class PcscChannel final : public ApduChannel {
 public:
  PcscChannel(SCARDHANDLE card, DWORD protocol, std::string reader) : card_(card), protocol_(protocol), reader_(std::move(reader)) {}
  ~PcscChannel() override { SCardDisconnect(card_, SCARD_LEAVE_CARD); }

  std::vector<std::uint8_t> transmit(std::span<const std::uint8_t> command) override {
    // Room for an extended answer: 65536 data bytes, the status word, and secure messaging's objects.
    std::vector<std::uint8_t> answer(65536 + 2 + 64);
    DWORD length = static_cast<DWORD>(answer.size());
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    const LONG rv = SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, answer.data(), &length);
    if (rv != SCARD_S_SUCCESS) fail(rv, "the chip on " + reader_ + " did not answer");
    answer.resize(length);
    if (answer.size() < 2) throw ChipReaderError(Kind::Failed, "the chip on " + reader_ + " answered without a status word");
    return answer;
  }

  std::string reader() const override { return reader_; }

  std::vector<std::uint8_t> atr() const override {
    std::vector<std::uint8_t> atr(MAX_ATR_SIZE);
    DWORD atr_length = static_cast<DWORD>(atr.size()), state = 0, protocol = 0, name_length = 0;
    if (SCardStatus(card_, nullptr, &name_length, &state, &protocol, atr.data(), &atr_length) != SCARD_S_SUCCESS) return {};
    atr.resize(atr_length);
    return atr;
  }

 private:
  SCARDHANDLE card_;
  DWORD protocol_;
  std::string reader_;
};

}  // namespace

PcscReaders::PcscReaders() {
  SCARDCONTEXT context = 0;
  const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
  if (rv != SCARD_S_SUCCESS) fail(rv, "cannot reach the PC/SC service (is pcscd running?)");
  context_ = static_cast<std::intptr_t>(context);
}

PcscReaders::~PcscReaders() { SCardReleaseContext(handle(context_)); }

std::vector<std::string> PcscReaders::list() const {
  DWORD length = 0;
  LONG rv = SCardListReaders(handle(context_), nullptr, nullptr, &length);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rv != SCARD_S_SUCCESS) fail(rv, "cannot list the chip readers");
  std::string names(length, '\0');
  rv = SCardListReaders(handle(context_), nullptr, names.data(), &length);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rv != SCARD_S_SUCCESS) fail(rv, "cannot list the chip readers");
  std::vector<std::string> readers;
  for (std::size_t start = 0; start < names.size() && names[start] != '\0';) {
    const std::size_t end = names.find('\0', start);
    readers.push_back(names.substr(start, end - start));
    start = end + 1;
  }
  return readers;
}

std::optional<std::string> PcscReaders::wait_for_card(const std::string& reader, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto readers = list();
    if (!reader.empty()) {
      if (std::find(readers.begin(), readers.end(), reader) == readers.end())
        throw ChipReaderError(Kind::NoReader, "there is no chip reader named \"" + reader + "\"");
      readers = {reader};
    }
    std::vector<SCARD_READERSTATE> states(readers.size());
    for (std::size_t i = 0; i < readers.size(); ++i) {
      states[i].szReader = readers[i].c_str();
      states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    // First the state as it is, then a wait for a change (at most a second, so new readers count).
    for (int round = 0; round < 2; ++round) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      const DWORD wait = round == 0 ? 0 : static_cast<DWORD>(std::clamp<long long>(left.count(), 0, 1000));
      if (states.empty()) {
        if (round == 1 && wait > 0) {
          SCARD_READERSTATE pnp{};
          pnp.szReader = "\\\\?PnP?\\Notification";
          pnp.dwCurrentState = SCARD_STATE_UNAWARE;
          const LONG rv = SCardGetStatusChange(handle(context_), wait, &pnp, 1);
          if (rv == SCARD_E_CANCELLED) fail(rv, "waiting for a chip");
        }
        continue;
      }
      const LONG rv = SCardGetStatusChange(handle(context_), wait, states.data(), static_cast<DWORD>(states.size()));
      if (rv == SCARD_E_TIMEOUT) continue;
      if (rv != SCARD_S_SUCCESS) fail(rv, "waiting for a chip");
      for (auto& state : states) {
        if ((state.dwEventState & SCARD_STATE_PRESENT) && !(state.dwEventState & SCARD_STATE_MUTE)) return std::string(state.szReader);
        state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
  }
}

bool PcscReaders::wait_for_removal(const std::string& reader, std::chrono::milliseconds timeout) {
  SCARD_READERSTATE state{};
  state.szReader = reader.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (bool first = true;; first = false) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const DWORD wait = first ? 0 : static_cast<DWORD>(std::max<long long>(left.count(), 0));
    const LONG rv = SCardGetStatusChange(handle(context_), wait, &state, 1);
    if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE) return true;
    if (rv == SCARD_E_TIMEOUT) return false;
    if (rv != SCARD_S_SUCCESS) fail(rv, "waiting for the chip to be taken away");
    if (!(state.dwEventState & SCARD_STATE_PRESENT)) return true;
    if (!first && std::chrono::steady_clock::now() >= deadline) return false;
    state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
  }
}

void PcscReaders::cancel() { SCardCancel(handle(context_)); }

std::unique_ptr<ApduChannel> PcscReaders::connect(const std::string& reader) {
  SCARDHANDLE card = 0;
  DWORD protocol = 0;
  const LONG rv = SCardConnect(handle(context_), reader.c_str(), SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
  if (rv != SCARD_S_SUCCESS) fail(rv, "cannot connect to the chip on " + reader);
  return std::make_unique<PcscChannel>(card, protocol, reader);
}

}  // namespace borderpost::bridge
