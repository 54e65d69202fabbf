class PayloadError(ValueError):
    pass
