package tasn.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Lets Spark's Kryo serialiser carry Java records. Kryo 4 (the version Spark 3.5 ships) builds a
 * {@code FieldSerializer} for an unregistered class and fails on a record ("can't get field
 * offset on a record class"), so every job whose RDDs hold records ({@link ListedImage}, the
 * score job's items, ...) would fail at its first task under {@code spark.serializer=Kryo}.
 * This makes Java serialisation the default serialiser of every record; our records are small
 * and {@link java.io.Serializable}. Named in {@code conf/spark-defaults.conf} after ND4J's own
 * registrator: {@code spark.kryo.registrator org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator}.
 */
public final class RecordKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
    }
}
