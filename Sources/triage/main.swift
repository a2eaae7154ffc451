import NotificationTriage

print("triage: not yet")
