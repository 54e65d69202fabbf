def tenant_root():
    return "tenants"
