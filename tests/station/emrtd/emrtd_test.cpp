// The chip protocol against ICAO Doc 9303 Part 11 Appendix D (the worked BAC example: key
// derivation, mutual authentication, secure messaging of SELECT and READ BINARY of EF.COM),
// values nobody on this team computed, and the LDS's TLV reading on hostile input. Doc 9303 has no
// worked example of Chip Authentication; its key derivation is the one Appendices D and G work.
#include <doctest/doctest.h>

#include "mrz/mrz.hpp"
#include "emrtd/apdu.hpp"
#include "emrtd/bac.hpp"
#include "emrtd/chip_auth.hpp"
#include "emrtd/lds.hpp"
#include "emrtd/pace.hpp"
#include "emrtd/passive_auth.hpp"
#include "emrtd/secure_messaging.hpp"
#include "emrtd/tlv.hpp"

using namespace borderpost::station::emrtd;

namespace {

std::string hex(ByteView bytes) { return to_hex(bytes); }

const Bytes kRndIc = from_hex("4608F91988702212");
const Bytes kRndIfd = from_hex("781723860C06C226");
const Bytes kKIfd = from_hex("0B795240CB7049B01C19B33E32804F0B");

}  // namespace

TEST_CASE("D.1: 3DES keys come from a key seed by SHA-1 and odd parity") {
  const Bytes seed = from_hex("239AB9CB282DAF66231DC5A4DF6BFBAE");
  CHECK(hex(derive_des_key(seed, 1)) == "AB94FDECF2674FDFB9B391F85D7F76F2");
  CHECK(hex(derive_des_key(seed, 2)) == "7962D9ECE03D1ACD4C76089DCE131543");
}

TEST_CASE("D.2: the MRZ information of TD1 and TD2 documents, long document numbers included, gives the basic access keys") {
  struct Case {
    const char* mrz;
    const char* information;
  };
  const Case cases[] = {
      {"I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\nD23145890<UTO3407127M95071227349<<<8", "D23145890734934071279507122"},
      {"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL898902C<3UTO6908061F9406236<<<<<<<8", "L898902C<369080619406236"},
      {"I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
       "D23145890734934071279507122"},
      {"I<UTOL898902C<3<<<<<<<<<<<<<<<\n6908061F9406236UTO<<<<<<<<<<<1\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", "L898902C<369080619406236"},
  };
  for (const auto& c : cases) {
    INFO(c.mrz);
    CHECK(mrz_information(mrz::parse(c.mrz)) == c.information);
  }
  const auto keys = basic_access_keys("L898902C<369080619406236");
  CHECK(hex(keys.enc) == "AB94FDECF2674FDFB9B391F85D7F76F2");
  CHECK(hex(keys.mac) == "7962D9ECE03D1ACD4C76089DCE131543");
  CHECK_THROWS_AS(mrz_information(mrz::parse("not an MRZ")), std::invalid_argument);
}

TEST_CASE("D.3: mutual authentication sends E.IFD and M.IFD and establishes the session keys and counter") {
  const auto keys = basic_access_keys("L898902C<369080619406236");
  const Bytes data = bac_authentication_data(keys, kRndIc, kRndIfd, kKIfd);
  CHECK(hex(data) == "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7");
  CHECK(hex(external_authenticate(data).encode()) == "0082000028" + hex(data) + "28");
  CHECK(hex(get_challenge().encode()) == "0084000008");

  const Bytes answer = from_hex("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449");
  const auto session = bac_session(keys, answer, kRndIc, kRndIfd, kKIfd);
  CHECK(hex(session.keys.enc) == "979EC13B1CBFE9DCD01AB0FED307EAE5");
  CHECK(hex(session.keys.mac) == "F1CB1F1FB5ADF208806B89DC579DC1F8");
  CHECK(hex(session.ssc) == "887022120C06C226");

  SUBCASE("an answer with a wrong MAC is a chip whose keys are not these") {
    Bytes forged = answer;
    REQUIRE(forged.size() == 40);
    forged[39] ^= 0x01;
    CHECK_THROWS_WITH_AS(bac_session(keys, forged, kRndIc, kRndIfd, kKIfd), doctest::Contains("does not verify"), std::runtime_error);
  }
  SUBCASE("an answer to another challenge is refused") {
    Bytes other = kRndIfd;
    other[0] ^= 0x01;
    CHECK_THROWS_WITH_AS(bac_session(keys, answer, kRndIc, other, kKIfd), doctest::Contains("challenges"), std::runtime_error);
  }
  SUBCASE("a short answer is malformed") {
    CHECK_THROWS_AS(bac_session(keys, ByteView(answer).first(39), kRndIc, kRndIfd, kKIfd), FormatError);
  }
  SUBCASE("the wrong MRZ gives keys the chip's answer does not verify under") {
    const auto wrong = basic_access_keys("L898902C<369080619406237");
    CHECK_THROWS_AS(bac_session(wrong, answer, kRndIc, kRndIfd, kKIfd), std::runtime_error);
  }
}

TEST_CASE("D.4: secure messaging of SELECT EF.COM and two READ BINARY commands, answers verified and decrypted") {
  const auto keys = basic_access_keys("L898902C<369080619406236");
  const Bytes answer = from_hex("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449");
  auto sm = SecureMessaging::des(bac_session(keys, answer, kRndIc, kRndIfd, kKIfd));

  CHECK(hex(sm.protect(select_file(0x011E)).encode()) == "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
  auto plain = sm.unprotect(ResponseApdu::parse(from_hex("990290008E08FA855A5D4C50A8ED9000")));
  CHECK(plain.ok());
  CHECK(plain.data.empty());

  CHECK(hex(sm.protect(read_binary(0, 4)).encode()) == "0CB000000D9701048E08ED6705417E96BA5500");
  plain = sm.unprotect(ResponseApdu::parse(from_hex("8709019FF0EC34F992265199029000" "8E08AD55CC17140B2DED9000")));
  CHECK(plain.ok());
  CHECK(hex(plain.data) == "60145F01");
  CHECK(tlv_total_size(plain.data) == 22u);

  CHECK(hex(sm.protect(read_binary(4, 18)).encode()) == "0CB000040D9701128E082EA28A70F3C7B53500");
  plain = sm.unprotect(ResponseApdu::parse(
      from_hex("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A99029000" "8E08C8B2787EAEA07D749000")));
  CHECK(hex(plain.data) == "04303130365F36063034303030305C026175");
  CHECK(hex(sm.ssc()) == "887022120C06C22C");

  const Bytes com = from_hex("60145F0104303130365F36063034303030305C026175");
  const Tlv outer = read_tlv(com);
  CHECK(outer.tag == 0x60);
  CHECK(outer.constructed());
  const auto version = find_tlv(outer.value, 0x5F01);
  REQUIRE(version);
  CHECK(std::string(version->value.begin(), version->value.end()) == "0106");
  const auto tags = find_tlv(outer.value, 0x5C);
  REQUIRE(tags);
  CHECK(hex(tags->value) == "6175");  // DG1 and DG2
}

TEST_CASE("D.3 and D.4 from the chip's side: its BAC answer and its secure messaging match the worked example") {
  const auto keys = basic_access_keys("L898902C<369080619406236");
  const Bytes terminal = from_hex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7");
  const auto chip = bac_chip_answer(keys, terminal, kRndIc, from_hex("0B4F80323EB3191CB04970CB4052790B"));
  CHECK(hex(chip.answer) == "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449");
  CHECK(hex(chip.session.keys.enc) == "979EC13B1CBFE9DCD01AB0FED307EAE5");
  CHECK(hex(chip.session.ssc) == "887022120C06C226");
  Bytes forged = terminal;
  forged[0] ^= 0x01;
  CHECK_THROWS_AS(bac_chip_answer(keys, forged, kRndIc, from_hex("0B4F80323EB3191CB04970CB4052790B")), std::runtime_error);

  auto sm = SecureMessaging::des(chip.session);
  const auto command = sm.unprotect_command(CommandApdu::parse(from_hex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")));
  CHECK(hex(command.encode()) == hex(select_file(0x011E).encode()));
  CHECK(hex(sm.protect_response(ResponseApdu{{}, 0x9000}).data) == "990290008E08FA855A5D4C50A8ED");
  const auto read = sm.unprotect_command(CommandApdu::parse(from_hex("0CB000000D9701048E08ED6705417E96BA5500")));
  CHECK(hex(read.encode()) == "00B0000004");
  CHECK(hex(sm.protect_response(ResponseApdu{from_hex("60145F01"), 0x9000}).data) == "8709019FF0EC34F992265199029000" "8E08AD55CC17140B2DED");
  CHECK_THROWS_WITH_AS(sm.unprotect_command(CommandApdu::parse(from_hex("0CB000000D9701048E08ED6705417E96BA5500"))),
                       doctest::Contains("MAC"), SecureMessagingError);  // a replayed command
}

TEST_CASE("AES secure messaging: the terminal's commands and the chip's answers go both ways, and tampering is caught") {
  const Bytes k_enc = from_hex("F5F0E35C0D7161EE6724EE513A0D9A7F"), k_mac = from_hex("FE251C7858B356B24514B3BD5F4297D1");
  auto terminal = SecureMessaging::aes(k_enc, k_mac);
  auto chip = SecureMessaging::aes(k_enc, k_mac);
  CHECK(terminal.cipher() == SmCipher::aes);
  for (std::size_t length : {1u, 15u, 16u, 17u, 231u, 1000u}) {
    INFO(length);
    const auto sent = terminal.protect(read_binary(0x0010, length));
    CHECK((sent.cla & 0x0C) == 0x0C);
    const auto received = chip.unprotect_command(CommandApdu::parse(sent.encode()));
    CHECK(received.ins == 0xB0);
    CHECK(received.le == length);
    Bytes content(length);
    for (std::size_t i = 0; i < length; ++i) content[i] = static_cast<std::uint8_t>(i * 7);
    const auto answer = chip.protect_response(ResponseApdu{content, 0x9000});
    const auto plain = terminal.unprotect(answer);
    CHECK(plain.ok());
    CHECK(plain.data == content);
  }
  const auto with_data = terminal.protect(select_file(0x0101));
  CHECK(hex(chip.unprotect_command(with_data).data) == "0101");
  auto altered = chip.protect_response(ResponseApdu{from_hex("0102030405"), 0x9000});
  altered.data[3] ^= 0x40;
  CHECK_THROWS_WITH_AS(terminal.unprotect(altered), doctest::Contains("MAC"), SecureMessagingError);
  // Without secure messaging objects, an error status passes as the session's end, a success never.
  CHECK(terminal.unprotect(ResponseApdu{{}, 0x6982}).sw == 0x6982);
  CHECK_THROWS_WITH_AS(terminal.unprotect(ResponseApdu{{}, 0x9000}), doctest::Contains("without secure messaging"), SecureMessagingError);
  CHECK(hex(terminal.ssc()) == "00000000000000000000000000000010");
  CHECK_THROWS_AS(SecureMessaging::aes(from_hex("0011"), k_mac), std::invalid_argument);
}

TEST_CASE("command APDUs parse back from every ISO/IEC 7816-3 case, short and extended, and malformed ones are refused") {
  const CommandApdu cases[] = {
      {0x00, 0x84, 0x00, 0x00, {}, std::nullopt},
      {0x00, 0x84, 0x00, 0x00, {}, 8},
      {0x00, 0xB0, 0x00, 0x00, {}, 256},
      {0x00, 0xB0, 0x01, 0x02, {}, 1000},
      {0x00, 0xB0, 0x01, 0x02, {}, 65536},
      {0x00, 0xA4, 0x02, 0x0C, from_hex("011E"), std::nullopt},
      {0x00, 0x82, 0x00, 0x00, Bytes(40, 0xAA), 40},
      {0x0C, 0xB0, 0x00, 0x00, Bytes(300, 0x55), std::nullopt},
      {0x0C, 0xB0, 0x00, 0x00, Bytes(300, 0x55), 65536},
  };
  for (const auto& c : cases) {
    const Bytes encoded = c.encode();
    INFO(hex(encoded));
    const auto back = CommandApdu::parse(encoded);
    CHECK(back.encode() == encoded);
    CHECK(back.data == c.data);
    CHECK(back.le == c.le);
  }
  for (const char* bad : {"00A4", "00A4020C0201", "00A4020C02011E0000", "00B000000000", "00B0000000000541"})
    CHECK_THROWS_AS(CommandApdu::parse(from_hex(bad)), FormatError);
}

TEST_CASE("a secure messaging answer that was altered, lacks its MAC or comes out of order is refused") {
  const auto keys = basic_access_keys("L898902C<369080619406236");
  const Bytes answer = from_hex("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449");
  const auto session = bac_session(keys, answer, kRndIc, kRndIfd, kKIfd);
  const Bytes good = from_hex("990290008E08FA855A5D4C50A8ED9000");

  auto altered = SecureMessaging::des(session);
  altered.protect(select_file(0x011E));
  Bytes changed = good;
  changed[3] = 0x01;  // the status inside DO'99'
  CHECK_THROWS_WITH_AS(altered.unprotect(ResponseApdu::parse(changed)), doctest::Contains("MAC"), SecureMessagingError);

  auto replayed = SecureMessaging::des(session);  // the counter has not stepped for the command: the MAC is for another
  CHECK_THROWS_AS(replayed.unprotect(ResponseApdu::parse(good)), SecureMessagingError);

  auto unmacked = SecureMessaging::des(session);
  unmacked.protect(select_file(0x011E));
  CHECK_THROWS_WITH_AS(unmacked.unprotect(ResponseApdu::parse(from_hex("990290009000"))), doctest::Contains("no MAC"), SecureMessagingError);

  auto garbled = SecureMessaging::des(session);
  garbled.protect(select_file(0x011E));
  CHECK_THROWS_AS(garbled.unprotect(ResponseApdu::parse(from_hex("99FF9000"))), SecureMessagingError);

  auto ended = SecureMessaging::des(session);  // an error without data objects: secure messaging is over
  ended.protect(select_file(0x011E));
  const auto refused = ended.unprotect(ResponseApdu::parse(from_hex("6987")));
  CHECK(refused.sw == 0x6987);
  CHECK(describe_status(refused.sw) == "6987 (secure messaging data objects missing)");
}

TEST_CASE("TLV reading keeps within the bytes it was given") {
  CHECK(read_tlv(from_hex("5F1F0141")).tag == 0x5F1F);
  CHECK(read_tlv(from_hex("7F618203E8" + std::string(2000, '0'))).value.size() == 1000);
  CHECK_THROWS_AS(read_tlv(from_hex("")), FormatError);
  CHECK_THROWS_AS(read_tlv(from_hex("61")), FormatError);
  CHECK_THROWS_AS(read_tlv(from_hex("6105AABB")), FormatError);                 // claims more than follows
  CHECK_THROWS_AS(read_tlv(from_hex("6184FFFFFFFF00")), FormatError);           // 4 GB
  CHECK_THROWS_AS(read_tlv(from_hex("6185010000000000")), FormatError);         // a five-byte length
  CHECK_THROWS_AS(read_tlv(from_hex("6180")), FormatError);                     // indefinite
  CHECK_THROWS_AS(read_tlv(from_hex("5F8F8F0100")), FormatError);               // a four-byte tag
  CHECK_THROWS_AS(read_tlvs(from_hex("5C0161" "00")), FormatError);             // trailing garbage
  CHECK_FALSE(tlv_total_size(from_hex("7F")).has_value());
  CHECK_FALSE(tlv_total_size(from_hex("7782")).has_value());
  CHECK(tlv_total_size(from_hex("778203E8")) == 1004u);
  CHECK(hex(encode_tlv(0x5F1F, from_hex("41"))) == "5F1F0141");
  CHECK(hex(encode_length(300)) == "82012C");
  CHECK(hex(encode_tlv(0x77, Bytes(200, 0))).substr(0, 6) == "7781C8");
}

TEST_CASE("APDUs take the extended form only when their data or expected length need it") {
  CHECK(hex(read_binary(0, 256).encode()) == "00B0000000");
  CHECK(hex(read_binary(0x100, 1000).encode()) == "00B00100" "0003E8");
  CHECK(hex(select_application(from_hex("A0000002471001")).encode()) == "00A4040C07A0000002471001");
  CHECK_THROWS_AS(read_binary(0x8000, 1), std::invalid_argument);
  CHECK_THROWS_AS(ResponseApdu::parse(from_hex("90")), FormatError);
}

TEST_CASE("G.1: PACE with ECDH generic mapping follows the worked example where it does not depend on fresh randomness") {
  const Bytes card_access = from_hex("3114" "3012060A04007F0007020204020202010202010D");
  PaceTerminal pace(card_access);
  CHECK(pace.protocol_name() == "id-PACE-ECDH-GM-AES-CBC-CMAC-128");
  CHECK(hex(pace.set_authentication_template().encode()) == "0022C1A40F800A04007F00070202040202830101");
  CHECK(hex(pace.request_nonce().encode()) == "10860000027C0000");

  // The nonce decrypts under the key from the MRZ of the example (T22000129, 640812, 101031).
  const auto mapping = pace.map_nonce(from_hex("7C12801095A3A016522EE98D01E76CB6B98B42C3"), "T22000129364081251010318");
  CHECK(hex(pace.decrypted_nonce()) == "3F00C4D39D153F2B2A214A078D899B22");
  CHECK(mapping.cla == 0x10);
  CHECK(mapping.data.size() == 2 + 2 + 65);  // 7C 43 81 41 04 x y: a fresh brainpoolP256r1 point

  // The session keys from the example's shared secret, and both authentication tokens.
  pace.derive_keys_from(from_hex("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"));
  CHECK(hex(pace.session_key_enc()) == "F5F0E35C0D7161EE6724EE513A0D9A7F");
  CHECK(hex(pace.session_key_mac()) == "FE251C7858B356B24514B3BD5F4297D1");
  const Bytes chip_key = from_hex(
      "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094");
  const Bytes terminal_key = from_hex(
      "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462");
  CHECK(hex(pace.token_for(chip_key)) == "C2B0BD78D94BA866");
  CHECK(hex(pace.token_for(terminal_key)) == "3ABB9674BCE93C08");
}

TEST_CASE("PACE refuses an EF.CardAccess without a protocol it supports, and malformed chip answers") {
  CHECK_THROWS_AS(PaceTerminal(from_hex("3100")), PaceError);
  CHECK_THROWS_AS(PaceTerminal(from_hex("3114" "3012060A04007F00070202040202")), FormatError);
  PaceTerminal pace(from_hex("3114" "3012060A04007F0007020204020202010202010D"));
  CHECK_THROWS_AS(pace.map_nonce(from_hex("8010" "95A3A016522EE98D01E76CB6B98B42C3"), "T22000129364081251010318"), FormatError);
  CHECK_THROWS_AS(pace.map_nonce(from_hex("7C00"), "T22000129364081251010318"), FormatError);
}

TEST_CASE("the LDS files read back: EF.COM's data groups, DG1's MRZ in lines, DG2's facial image, and malformed files are refused") {
  const auto com = parse_ef_com(from_hex("60145F0104303130365F36063034303030305C026175"));
  CHECK(com.lds_version == "0106");
  CHECK(com.unicode_version == "040000");
  CHECK(com.data_groups == std::vector<int>{1, 2});

  const std::string mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10";
  const Bytes dg1 = concat({from_hex("615B5F1F58"), Bytes(mrz.begin(), mrz.end())});
  const auto lines = parse_dg1(dg1);
  CHECK(lines == mrz.substr(0, 44) + "\n" + mrz.substr(44));
  CHECK(mrz::parse(lines).valid());

  // A facial record of ISO/IEC 19794-5 holding a four-byte JPEG, 2 x 3 pixels.
  const Bytes dg2 = from_hex(
      "754c7f61490201017f6043a10c8002010181020008870201015f2e3246414300303130000000003200010000002400000000000000000000000000000000"
      "010000020003000000000000ffd8ffd9");
  const auto faces = parse_dg2(dg2);
  REQUIRE(faces.size() == 1);
  CHECK(faces[0].format == FaceImage::Format::jpeg);
  CHECK(faces[0].width == 2);
  CHECK(faces[0].height == 3);
  CHECK(hex(faces[0].encoded) == "FFD8FFD9");

  CHECK(data_group(2)->file_id == 0x0102);
  CHECK(data_group_by_tag(0x6F)->data_group == 15);
  CHECK_FALSE(data_group(17));

  Bytes truncated = dg2;
  truncated[0x2E] = 0xFF;  // the facial record claims more bytes than its block holds
  CHECK_THROWS_AS(parse_dg2(truncated), FormatError);
  CHECK_THROWS_AS(parse_dg1(from_hex("6105" "5F1F024142")), FormatError);           // two MRZ characters
  CHECK_THROWS_AS(parse_dg1(concat({dg1, Bytes{0x00}})), FormatError);               // bytes after the file
  CHECK(parse_ef_com(from_hex("600A5F0104303130365C0163")).data_groups == std::vector<int>{3});
  CHECK_THROWS_AS(parse_ef_com(from_hex("600A5F0104303130365C0199")), FormatError);  // no data group has tag 99
  CHECK_THROWS_AS(parse_dg15(from_hex("6F020500")), FormatError);
  CHECK_THROWS_AS(parse_security_object(from_hex("77023000")), FormatError);
  CHECK_THROWS_AS(parse_security_object(from_hex("6103020100")), FormatError);
}

// --- Chip Authentication (Part 11, 6.2 and 9.2.5 to 9.2.7) ---

namespace {

// The SubjectPublicKeyInfo of a P-256 key (named curve), made with `openssl ec -pubout`.
const Bytes kP256Key = from_hex(
    "3059301306072A8648CE3D020106082A8648CE3D03010703420004D5A964E5C1C684A9DAE42245BDB2BB1245D7BEFC9CFB20DBD20695A03581"
    "EC46F81D9FCD5E48C5F71AD3BA1014CB1E9D77BF0EB8ECBC93381D187F86796C0D29");

// SEQUENCE { parts }
Bytes sequence(std::initializer_list<ByteView> parts) { return encode_tlv(0x30, concat(parts)); }
Bytes oid(std::string_view content_hex) { return encode_tlv(0x06, from_hex(content_hex)); }
Bytes integer(std::uint8_t value) { return encode_tlv(0x02, Bytes{value}); }
Bytes dg14(std::initializer_list<ByteView> infos) { return encode_tlv(0x6E, encode_tlv(0x31, concat(infos))); }

const Bytes kPaceInfo = sequence({oid("04007F00070202040202"), integer(2), integer(13)});
const Bytes kActiveAuthenticationInfo = sequence({oid("678108010105"), integer(1), oid("04007F0007010104010103")});
const std::string kCaEcdhAes128 = "04007F00070202030202", kCaEcdh3Des = "04007F00070202030201", kCaDhAes128 = "04007F00070202030102";
const std::string kPkEcdh = "04007F0007020201" "02", kPkDh = "04007F0007020201" "01";

}  // namespace

TEST_CASE("9.7.1: Chip Authentication's session keys are KDF(K, 1) and KDF(K, 2), as Appendix G.1 (AES-128) and D.1 (3DES) derive them") {
  // G.1's shared secret gives G.1's session keys: the same KDF, SHA-1, first 16 bytes.
  const auto aes = chip_authentication_keys("id-CA-ECDH-AES-CBC-CMAC-128",
                                            from_hex("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"));
  CHECK(aes.cipher == SmCipher::aes);
  CHECK(hex(aes.enc) == "F5F0E35C0D7161EE6724EE513A0D9A7F");
  CHECK(hex(aes.mac) == "FE251C7858B356B24514B3BD5F4297D1");
  // D.1's key seed gives D.1's 3DES keys, parity adjusted.
  const auto des3 = chip_authentication_keys("id-CA-ECDH-3DES-CBC-CBC", from_hex("239AB9CB282DAF66231DC5A4DF6BFBAE"));
  CHECK(des3.cipher == SmCipher::des3);
  CHECK(hex(des3.enc) == "AB94FDECF2674FDFB9B391F85D7F76F2");
  CHECK(hex(des3.mac) == "7962D9ECE03D1ACD4C76089DCE131543");
  // AES-192 and AES-256 take SHA-256.
  CHECK(chip_authentication_keys("id-CA-ECDH-AES-CBC-CMAC-192", from_hex("00")).enc.size() == 24);
  CHECK(chip_authentication_keys("id-CA-ECDH-AES-CBC-CMAC-256", from_hex("00")).mac.size() == 32);
  CHECK_THROWS_AS(chip_authentication_keys("id-PACE-ECDH-GM-AES-CBC-CMAC-128", from_hex("00")), std::invalid_argument);

  // The new channel starts its counter at zero, for 3DES too (9.8.6.3: BAC's counter is BAC's only).
  auto channel = des3.channel();
  channel.protect(select_file(0x011E));
  CHECK(hex(channel.ssc()) == "0000000000000001");
  auto aes_channel = aes.channel();
  aes_channel.protect(select_file(0x011E));
  CHECK(hex(aes_channel.ssc()) == "00000000000000000000000000000001");
}

TEST_CASE("DG14: Chip Authentication is found among the other SecurityInfos, with its public key matched by key identifier, AES first") {
  const Bytes other_key = from_hex(
      "3059301306072A8648CE3D020106082A8648CE3D030107034200046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
      "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");  // P-256's generator: a valid point
  const Bytes file = dg14({kPaceInfo, kActiveAuthenticationInfo, sequence({oid(kCaEcdh3Des), integer(1), integer(2)}),
                           sequence({oid(kCaEcdhAes128), integer(1), integer(1)}), sequence({oid(kPkEcdh), kP256Key, integer(1)}),
                           sequence({oid(kPkEcdh), other_key, integer(2)})});
  const auto offers = chip_authentication_offers(file);
  REQUIRE(offers.size() == 2);
  CHECK(offers[0].protocol == "id-CA-ECDH-AES-CBC-CMAC-128");
  CHECK(offers[0].key_id == std::uint64_t{1});
  CHECK(offers[0].public_key == kP256Key);
  CHECK(offers[1].protocol == "id-CA-ECDH-3DES-CBC-CBC");
  CHECK(hex(offers[1].protocol_oid) == kCaEcdh3Des);
  CHECK(offers[1].public_key == other_key);
  CHECK(offers[1].unsupported.empty());

  CHECK(chip_authentication_offers(dg14({kPaceInfo, kActiveAuthenticationInfo})).empty());
}

TEST_CASE("DG14: DH, another version, or a public key alone (BSI TR-03110 1.11: 3DES) are offered as what they are") {
  const auto dh = chip_authentication_offers(dg14({sequence({oid(kCaDhAes128), integer(1)}), sequence({oid(kPkDh), from_hex("3000")})}));
  REQUIRE(dh.size() == 1);
  CHECK(dh[0].protocol == "id-CA-DH-AES-CBC-CMAC-128");
  CHECK(dh[0].unsupported == "Chip Authentication with DH (id-CA-DH-AES-CBC-CMAC-128) is not supported by this station");

  const auto version2 = chip_authentication_offers(dg14({sequence({oid(kCaEcdhAes128), integer(2)}), sequence({oid(kPkEcdh), kP256Key})}));
  REQUIRE(version2.size() == 1);
  CHECK_FALSE(version2[0].unsupported.empty());

  const auto key_alone = chip_authentication_offers(dg14({sequence({oid(kPkEcdh), kP256Key})}));
  REQUIRE(key_alone.size() == 1);
  CHECK(key_alone[0].protocol == "id-CA-ECDH-3DES-CBC-CBC");
  CHECK(hex(key_alone[0].protocol_oid) == kCaEcdh3Des);
  CHECK(key_alone[0].unsupported.empty());
}

TEST_CASE("DG14: a malformed file, an offer without its key or with a key that does not parse is a FormatError, never a crash") {
  const Bytes ca = sequence({oid(kCaEcdhAes128), integer(1)});
  CHECK_THROWS_AS(chip_authentication_offers(from_hex("6F023100")), FormatError);           // not DG14
  CHECK_THROWS_AS(chip_authentication_offers(from_hex("6E043102")), FormatError);           // cut short
  CHECK_THROWS_AS(chip_authentication_offers(dg14({ca})), FormatError);                    // no public key
  CHECK_THROWS_AS(chip_authentication_offers(dg14({from_hex("0400")})), FormatError);      // a SecurityInfo that is no SEQUENCE
  CHECK_THROWS_AS(chip_authentication_offers(dg14({sequence({integer(1), integer(1)})})), FormatError);  // no OID first
  CHECK_THROWS_AS(chip_authentication_offers(dg14({sequence({oid(kCaEcdhAes128), from_hex("0101FF")})})), FormatError);  // version
  CHECK_THROWS_AS(chip_authentication_offers(dg14({ca, sequence({oid(kPkEcdh), from_hex("3003020101")})})), FormatError);  // key
  CHECK_THROWS_AS(chip_authentication_offers(dg14({ca, sequence({oid(kPkEcdh), from_hex("0500")})})), FormatError);
  CHECK_THROWS_AS(chip_authentication_offers(dg14({sequence({oid(kCaEcdhAes128), integer(1)}), sequence({oid(kPkDh), kP256Key})})),
                  FormatError);  // an ECDH protocol with a DH key
  const Bytes off_curve = concat({ByteView(kP256Key).first(90), from_hex("28")});  // y's last bit flipped
  CHECK_THROWS_AS(chip_authentication_offers(dg14({ca, sequence({oid(kPkEcdh), off_curve})})), FormatError);
  // Every prefix of a good DG14 is refused cleanly.
  const Bytes good = dg14({kPaceInfo, ca, sequence({oid(kPkEcdh), kP256Key})});
  for (std::size_t size = 0; size < good.size(); ++size) {
    CAPTURE(size);
    CHECK_THROWS_AS(chip_authentication_offers(ByteView(good).first(size)), FormatError);
  }
  CHECK(chip_authentication_offers(good).size() == 1);
}
