"""An MQTT 5 client driven line by line, as Home Assistant's MQTT integration connects
(paho-mqtt, protocol v5). Reads JSON commands on stdin, writes JSON events on stdout.

usage: python3 paho5.py HOST PORT USERNAME PASSWORD CLIENT_ID
commands: {"op": "subscribe", "filter": F, "qos": Q} | {"op": "publish", "topic": T, "payload": P, "qos": Q}
          | {"op": "disconnect"}
events:   {"event": "connack", "reason": N} | {"event": "suback", "reasons": [N]} | {"event": "puback", "mid": N}
          | {"event": "message", "topic": T, "payload": P, "retain": B} | {"event": "disconnected", "reason": N}
"""
import json
import sys

import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.packettypes import PacketTypes


def say(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def code(reason):
    return reason.value if hasattr(reason, "value") else int(reason)


def main():
    host, port, username, password, client_id = sys.argv[1:6]
    client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
    if username:
        client.username_pw_set(username, password)
    client.on_connect = lambda c, u, flags, reason, props: say(event="connack", reason=code(reason))
    client.on_subscribe = lambda c, u, mid, reasons, props: say(event="suback", reasons=[code(r) for r in reasons])
    client.on_publish = lambda c, u, mid: say(event="puback", mid=mid)
    client.on_message = lambda c, u, m: say(event="message", topic=m.topic, payload=m.payload.decode("utf-8", "replace"), retain=bool(m.retain))
    client.on_disconnect = lambda c, u, reason, props=None: say(event="disconnected", reason=code(reason))
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = 0
    client.connect(host, int(port), keepalive=30, clean_start=True, properties=properties)
    client.loop_start()
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "subscribe":
            client.subscribe(command["filter"], qos=command.get("qos", 0))
        elif command["op"] == "publish":
            client.publish(command["topic"], command["payload"], qos=command.get("qos", 0))
        elif command["op"] == "disconnect":
            break
    client.disconnect()
    client.loop_stop()


main()
