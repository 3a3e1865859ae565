package dev.shopsearch.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, loopback",
    "127.255.0.9, loopback",
    "0.0.0.0, unspecified",
    "10.1.2.3, private",
    "172.16.0.1, private",
    "172.31.255.255, private",
    "192.168.1.1, private",
    "169.254.169.254, link-local",
    "100.64.0.1, carrier-grade NAT",
    "224.0.0.1, multicast",
    "255.255.255.255, reserved/broadcast",
    "192.0.2.5, documentation",
    "::1, loopback",
    "::, unspecified",
    "fe80::1, link-local",
    "fc00::1, unique-local (private)",
    "fd12:3456::1, unique-local (private)",
    "fec0::1, site-local",
    "ff02::1, multicast",
    "::ffff:10.0.0.1, private",
    "::127.0.0.1, IPv4-compatible loopback",
    "64:ff9b::a9fe:a9fe, NAT64 link-local",
    "2002:c0a8:0101::1, 6to4 private",
    "2001:0:4136:e378::1, Teredo tunnel",
    "2001:db8::1, documentation"
  })
  void refusesNonPublicAddresses(String ip, String why) throws UnknownHostException {
    assertThat(AddressPolicy.classify(InetAddress.getByName(ip))).isEqualTo(why);
    assertThat(AddressPolicy.isPublic(InetAddress.getByName(ip))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "172.32.0.1",
        "172.15.255.255",
        "100.128.0.1",
        "93.184.216.34",
        "2606:4700::1111",
        "2002:0808:0808::1",
        "::ffff:8.8.4.4"
      })
  void allowsPublicAddresses(String ip) throws UnknownHostException {
    assertThat(AddressPolicy.classify(InetAddress.getByName(ip))).isNull();
  }
}
