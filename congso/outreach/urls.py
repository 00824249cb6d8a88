"""Pages of outreach, mounted at /to-cong-nghe/ by config/urls.py."""

app_name = "outreach"
urlpatterns: list = []
