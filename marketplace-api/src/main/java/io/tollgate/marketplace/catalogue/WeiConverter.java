package io.tollgate.marketplace.catalogue;

import io.tollgate.pricing.Wei;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.math.BigDecimal;

/** Wei in NUMERIC(78,0) columns, full width. */
@Converter(autoApply = true)
public class WeiConverter implements AttributeConverter<Wei, BigDecimal> {
    @Override
    public BigDecimal convertToDatabaseColumn(Wei wei) {
        return wei == null ? null : new BigDecimal(wei.value());
    }

    @Override
    public Wei convertToEntityAttribute(BigDecimal value) {
        return value == null ? null : new Wei(value.toBigIntegerExact());
    }
}
