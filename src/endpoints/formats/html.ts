export const inventoryHtml = (): string => "";
