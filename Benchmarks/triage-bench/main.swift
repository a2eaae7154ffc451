import NotificationTriage

print("triage-bench: not yet")
