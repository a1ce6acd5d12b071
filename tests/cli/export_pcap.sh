# ktrail export --pcap: the synthetic capture's packets as pcapng, read
# back by tshark (installed by `make deps`): the packet count, times in
# wall clock from the capture's anchors (the replay's ts through them),
# lengths, the interface; the same bytes twice; a capture without
# packets gives a valid empty file.
T=$KT_TMP
"$KTRAIL" export corpus/synthetic/small.ktr --pcap "$T/a.pcapng"; echo "exit $?"
"$KTRAIL" export corpus/synthetic/small.ktr --pcap "$T/b.pcapng"
cmp -s "$T/a.pcapng" "$T/b.pcapng" && echo "same bytes twice"
echo "replay: $("$KTRAIL" replay corpus/synthetic/small.ktr -e net | wc -l) packets"
"$KTRAIL" replay corpus/synthetic/small.ktr -e net
echo "tshark:"
tshark -r "$T/a.pcapng" -T fields -E separator=' ' -e frame.number \
	-e frame.time_epoch -e frame.len -e frame.cap_len -e frame.interface_name \
	-e frame.interface_id 2>/dev/null
capinfos -c -a -e -T "$T/a.pcapng" 2>/dev/null | tail -1 | cut -f2-
"$KTRAIL" export corpus/scenarios/lock_convoy.ktr --pcap "$T/none.pcapng"; echo "no packets: exit $?"
echo "tshark on it: $(tshark -r "$T/none.pcapng" 2>/dev/null | wc -l) packets, exit $?"
