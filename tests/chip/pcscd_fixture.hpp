// A private pcscd for the chip tests, with vsmartcard-vpcd readers the virtual chips connect to,
// and a bare PC/SC client (pcsc-lite) to check the chips through it. pcscd always serves
// /run/pcscd/pcscd.comm, so only one runs on a machine at a time: the fixture refuses to start
// beside another. Test-only: vpcd in server mode listens on every interface (it cannot be told
// otherwise) and the chips connect to it on 127.0.0.1.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "emrtd/apdu.hpp"

namespace borderpost::test {
class BackgroundProcess;
}

namespace borderpost::test::chip {

// The vpcd driver keeps one connection per slot number whatever the reader, so a pcscd can have
// only one working vpcd reader: ours has two slots, each one reader for PC/SC, each on its own port.
struct TestReader {
  int slot;            // the PC/SC name ends in "00 0<slot>"
  std::uint16_t port;  // where its vpcd listens for the card
};
inline constexpr const char* kTestReaderName = "Borderpost test chip";
const TestReader& test_reader_a();  // slot 0, port 35970
const TestReader& test_reader_b();  // slot 1, port 35971

class PrivatePcscd {
 public:
  // Writes <work_dir>/reader.conf.d (the vpcd reader on ports 35970 and 35971), starts
  // `pcscd -f -c` on it and waits until it lists both slots. Throws std::runtime_error when
  // another pcscd is running or this one does not come up. BORDERPOST_PCSCD_DEBUG=1 in the
  // environment makes pcscd log every driver call and APDU (see output()).
  explicit PrivatePcscd(const std::filesystem::path& work_dir, int timeout_ms = 15'000);
  ~PrivatePcscd();  // stop()
  PrivatePcscd(const PrivatePcscd&) = delete;
  PrivatePcscd& operator=(const PrivatePcscd&) = delete;

  // The PC/SC name of the reader ("Borderpost test chip 00 00").
  std::string reader_name(const TestReader& reader) const;
  void stop();                 // SIGTERM, then waits for it to exit
  std::string output() const;  // what pcscd logged

 private:
  std::unique_ptr<BackgroundProcess> process_;
};

// True when a pcscd answers on /run/pcscd/pcscd.comm or its pid file names a live process.
bool pcscd_running();

// Every reader pcscd knows (SCardListReaders); empty when there is none or no pcscd.
std::vector<std::string> reader_names();

// Waits until `reader` shows a card (present) or none (!present); false when the time passes first.
bool wait_for_card_state(const std::string& reader, bool present, int timeout_ms);

// The card on a reader, connected through PC/SC as a terminal would be.
class PcscCard {
 public:
  explicit PcscCard(const std::string& reader);  // throws std::runtime_error when there is no card
  ~PcscCard();
  PcscCard(const PcscCard&) = delete;
  PcscCard& operator=(const PcscCard&) = delete;

  // Throws std::runtime_error with PC/SC's reason (e.g. the card was removed).
  station::emrtd::Bytes transmit(station::emrtd::ByteView command);
  station::emrtd::ResponseApdu transmit(const station::emrtd::CommandApdu& command);
  const station::emrtd::Bytes& atr() const { return atr_; }

 private:
  long context_ = 0;  // SCARDCONTEXT
  long card_ = 0;     // SCARDHANDLE
  unsigned long protocol_ = 0;
  station::emrtd::Bytes atr_;
};

}  // namespace borderpost::test::chip
