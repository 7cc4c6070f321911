// Access control and file reading (see chip_session.hpp).
#include "emrtd/chip_session.hpp"

#include <openssl/rand.h>

#include "emrtd/bac.hpp"
#include "emrtd/lds.hpp"
#include "emrtd/pace.hpp"
#include "emrtd/tlv.hpp"

namespace borderpost::station::emrtd {

namespace {

// A short protected answer must fit 256 bytes: 223 plain bytes encrypt to 224 with their padding,
// plus DO'87', DO'99' and DO'8E' (Doc 9303 Part 11, 9.8).
constexpr std::size_t kShortChunk = 0xDF;
constexpr std::size_t kExtendedChunk = 0x1000;
// READ BINARY with the offset in P1-P2 reaches 32767 (Part 10, 3.5); larger files need odd INS.
constexpr std::size_t kLargestOffset = 0x7FFF;

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw std::runtime_error("no random bytes from OpenSSL");
  return out;
}

}  // namespace

ChipSession::ChipSession(RawTransmit transmit) : transmit_(std::move(transmit)) {}

ResponseApdu ChipSession::send_plain(const CommandApdu& command) {
  ++commands_;
  return ResponseApdu::parse(transmit_(command.encode()));
}

ResponseApdu ChipSession::exchange(const CommandApdu& command) {
  if (!sm_) return send_plain(command);
  ++commands_;
  return sm_->unprotect(ResponseApdu::parse(transmit_(sm_->protect(command).encode())));
}

void ChipSession::restart_secure_messaging(SecureMessaging channel) {
  if (!sm_) throw std::logic_error("secure messaging restarted before access control");
  sm_ = std::move(channel);
}

std::optional<Bytes> ChipSession::read_plain_file(std::uint16_t file_id) {
  if (!send_plain(select_file(file_id)).ok()) return std::nullopt;
  Bytes content;
  for (;;) {
    const auto answer = send_plain(read_binary(content.size(), kShortChunk));
    // 6282: the file ended before Le bytes; the data that came is the rest of it (ISO 7816-4).
    if ((!answer.ok() && answer.sw != 0x6282) || answer.data.empty()) break;
    content.insert(content.end(), answer.data.begin(), answer.data.end());
    if (const auto total = tlv_total_size(content); total && content.size() >= *total) {
      content.resize(*total);
      break;
    }
  }
  return content.empty() ? std::nullopt : std::optional<Bytes>(content);
}

AccessResult ChipSession::open(std::string_view mrz_information, bool try_pace) {
  AccessResult result;
  if (try_pace) {
    // EF.CardAccess lives in the master file: go back there first, for a chip still in the
    // application from an earlier read (a plain command also ends any session it had). A chip
    // that refuses the SELECT is asked for the file all the same.
    send_plain(select_master_file());
    if (auto card_access = read_plain_file(kEfCardAccess)) result.card_access = std::move(*card_access);
  }
  if (!result.card_access.empty()) {
    try {
      const PlainExchange plain = [this](const CommandApdu& command) { return send_plain(command); };
      auto pace = run_pace(plain, result.card_access, mrz_information);
      sm_ = std::move(pace.channel);
      result.method = "PACE";
      result.pace_protocol = std::move(pace.protocol);
      if (!exchange(select_application(kEmrtdAid)).ok()) throw AccessError("the chip has no ePassport application");
      return result;
    } catch (const PaceError& e) {
      result.fallback_reason = e.what();
    } catch (const FormatError& e) {
      result.fallback_reason = std::string("a malformed PACE exchange: ") + e.what();
    } catch (const SecureMessagingError& e) {
      result.fallback_reason = e.what();
    }
    sm_.reset();
  }
  if (!send_plain(select_application(kEmrtdAid)).ok()) throw AccessError("the chip has no ePassport application");
  open_bac(mrz_information);
  result.method = "BAC";
  return result;
}

void ChipSession::open_bac(std::string_view mrz_information) {
  const auto challenge = send_plain(get_challenge());
  if (!challenge.ok() || challenge.data.size() != 8)
    throw AccessError("the chip refused Basic Access Control's challenge: " + describe_status(challenge.sw));
  const KeyPair keys = basic_access_keys(mrz_information);
  const Bytes rnd_ifd = random_bytes(8), k_ifd = random_bytes(16);
  const auto answer = send_plain(external_authenticate(bac_authentication_data(keys, challenge.data, rnd_ifd, k_ifd)));
  if (!answer.ok())
    throw AccessError("the chip refused Basic Access Control (" + describe_status(answer.sw) +
                      "): the MRZ keys are not the chip's");
  try {
    sm_ = SecureMessaging::des(bac_session(keys, answer.data, challenge.data, rnd_ifd, k_ifd));
  } catch (const FormatError& e) {
    throw AccessError(std::string("the chip's Basic Access Control answer is malformed: ") + e.what());
  } catch (const std::runtime_error& e) {
    throw AccessError(e.what());
  }
}

ResponseApdu ChipSession::read_chunk(std::size_t offset, std::size_t length) {
  if (offset > kLargestOffset) throw FormatError("the file is larger than READ BINARY with an offset reaches (32 KiB)");
  return exchange(read_binary(offset, length));
}

std::optional<Bytes> ChipSession::read_file(std::uint16_t file_id) {
  if (!sm_) throw std::logic_error("read_file before access control");
  const auto selected = exchange(select_file(file_id));
  if (selected.sw == 0x6A82) return std::nullopt;
  if (!selected.ok()) throw FormatError("the chip refused to select file " + to_hex(Bytes{std::uint8_t(file_id >> 8), std::uint8_t(file_id)}) +
                                        ": " + describe_status(selected.sw));
  // The first bytes say how long the file is.
  auto head = read_chunk(0, 8);
  if (!head.ok() || head.data.empty()) throw FormatError("the chip refused to read the file: " + describe_status(head.sw));
  Bytes content = std::move(head.data);
  const auto total = tlv_total_size(content);
  if (!total) throw FormatError("the file's first bytes are not a TLV header");
  while (content.size() < *total) {
    const std::size_t left = *total - content.size();
    ResponseApdu answer;
    if (extended_ != Extended::no && left > kShortChunk) {
      answer = read_chunk(content.size(), std::min(left, kExtendedChunk));
      if (answer.ok() && !answer.data.empty()) {
        extended_ = Extended::yes;
      } else if (extended_ == Extended::unknown) {
        extended_ = Extended::no;  // the chip or reader takes short reads only: go on in chunks
        continue;
      }
    } else {
      answer = read_chunk(content.size(), std::min(left, kShortChunk));
    }
    if (!answer.ok() && answer.sw != 0x6282) throw FormatError("reading the file failed: " + describe_status(answer.sw));
    if (answer.data.empty()) throw FormatError("the chip's file ends before its TLV says");
    content.insert(content.end(), answer.data.begin(), answer.data.end());
  }
  content.resize(*total);
  return content;
}

}  // namespace borderpost::station::emrtd
