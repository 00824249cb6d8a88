from django.db import migrations

# A copy of the catalogue as it was when this migration was written (constants.PLATFORMS may change later).
PLATFORMS = [
    ("VNEID", "Định danh điện tử VNeID", "person", False, 1),
    ("DVC", "Tài khoản dịch vụ công", "person", False, 2),
    ("CASHLESS", "Thanh toán không dùng tiền mặt", "person", False, 3),
    ("EHEALTH", "Y tế số (đặt khám, sổ sức khỏe)", "person", False, 4),
    ("CITIZENAPP", "Ứng dụng công dân số Cà Mau", "person", False, 5),
    ("ECOMMERCE", "Bán hàng trên sàn thương mại điện tử", "household", True, 6),
    ("SMARTPHONE", "Điện thoại thông minh", "household", False, 7),
    ("INTERNET", "Internet tại nhà", "household", False, 8),
]


def load(apps, schema_editor):
    Platform = apps.get_model("outreach", "Platform")
    for code, name, level, shop, position in PLATFORMS:
        Platform.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "has_shop_details": shop, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
