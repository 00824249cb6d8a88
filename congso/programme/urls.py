"""Pages of programme, mounted at /ioc/chuong-trinh/ by config/urls.py."""

app_name = "programme"
urlpatterns: list = []
