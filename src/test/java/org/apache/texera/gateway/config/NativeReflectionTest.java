package org.apache.texera.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewayStatus;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.fabric8.kubernetes.api.builder.BaseFluent;
import io.fabric8.kubernetes.api.builder.VisitableBuilder;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A class Jackson meets in a native image without a reflection registration fails at run time only, and the native
 * analysis cannot see it (Jackson reaches it by reflection): catch it here instead.
 *
 * <p>Every class Jackson reads or writes must be either
 * <ul>
 * <li>ours, and a target of {@link NativeReflection}'s {@code @RegisterForReflection}: the TexeraGateway resource,
 * its spec and status, and our Envoy Gateway kinds; or</li>
 * <li>a fabric8 model class (the Gateway API kinds of kubernetes-model-gatewayapi, the core kinds, and what they
 * contain) that implements {@link KubernetesResource} and lives in a jar carrying a Jandex index. The
 * quarkus-kubernetes-client extension registers for reflection (methods and fields) every implementation of
 * KubernetesResource in Quarkus's combined index (KubernetesClientProcessor#process), and a jar with
 * META-INF/jandex.idx is in that index.</li>
 * <li>one of the few fabric8 value types that are not KubernetesResources: IntOrString and AnyType, which the
 * extension registers by name, and those with their own Jackson serializer and deserializer (Quantity).</li>
 * </ul>
 * The classes checked are the closure, over the types of their serialized fields, of NativeReflection's targets and
 * of every fabric8 model class that our compiled code refers to (the unit summaries of UnitObjectCache, Services and
 * HTTPRoutes, among them). Plain reflection and class-file reading only: no Quarkus start.
 */
class NativeReflectionTest {
    /** The packages whose classes are (de)serialized by reflection: the CR and our typed Envoy Gateway kinds. */
    private static final List<String> SERIALIZED_PACKAGES = List.of("org.apache.texera.gateway.api.v1alpha1",
            "org.apache.texera.gateway.envoygateway");
    private static final String OURS = "org.apache.texera.gateway.";
    /** Internal names of the fabric8 model classes, as they appear in the constant pool of a class file. */
    private static final Pattern FABRIC8_MODEL_REF = Pattern.compile("io/fabric8/kubernetes/api/model/[A-Za-z0-9_/$]+");

    /**
     * fabric8 value types that are not KubernetesResources and that KubernetesClientProcessor registers for reflection
     * by name (with KubernetesDeserializer): IntOrString is built through AnyType's @JsonCreator constructor.
     */
    private static final Set<Class<?>> REGISTERED_BY_EXTENSION = Set.of(AnyType.class, IntOrString.class);

    private static final Set<String> REGISTERED = Arrays
            .stream(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets()).map(Class::getName)
            .collect(Collectors.toSet());

    @Test
    void everySerializedClassIsRegistered() throws IOException, URISyntaxException {
        Set<String> compiled = compiledClasses();

        assertThat(compiled).as("classes found in target/classes").isNotEmpty()
                .contains("org.apache.texera.gateway.api.v1alpha1.TexeraGateway");
        assertThat(REGISTERED).as("NativeReflection's targets: add the missing classes there").containsAll(compiled);
        assertThat(compiled).as("NativeReflection lists classes that no longer exist in these packages")
                .containsAll(REGISTERED);
    }

    @Test
    void everyClassJacksonReachesIsRegisteredOrAnIndexedKubernetesModelClass() throws IOException, URISyntaxException {
        Set<Class<?>> roots = new LinkedHashSet<>(
                List.of(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets()));
        roots.addAll(referencedModelClasses());
        Map<String, String> reached = serializedClosure(roots);

        // The walk really goes where Jackson goes: through CustomResource's type arguments, records, lists, and
        // from our classes into fabric8's.
        assertThat(roots).as("fabric8 model classes our code uses, the unit summaries (Service, HTTPRoute) included")
                .contains(Service.class, HTTPRoute.class);
        assertThat(reached).as("classes reached from the roots")
                .containsKeys(TexeraGateway.class.getName(), TexeraGatewayStatus.class.getName(), Condition.class.getName(),
                        ObjectMeta.class.getName(), ParentReference.class.getName(), SecurityPolicy.Spec.class.getName(),
                        "io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec",
                        "io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch");

        Map<String, String> unregistered = new TreeMap<>();
        Map<String, String> notKubernetesResources = new TreeMap<>();
        Map<String, String> notIndexed = new TreeMap<>();
        Map<Path, Boolean> indexedJars = new HashMap<>();
        for (Map.Entry<String, String> entry : reached.entrySet()) {
            Class<?> type = load(entry.getKey());
            String via = entry.getValue();
            if (type.getName().startsWith(OURS)) {
                if (!REGISTERED.contains(type.getName())) {
                    unregistered.put(type.getName(), via);
                }
            } else if (!KubernetesResource.class.isAssignableFrom(type) && !REGISTERED_BY_EXTENSION.contains(type)
                    && !customSerialized(type)) {
                notKubernetesResources.put(type.getName(), via);
            } else if (!REGISTERED_BY_EXTENSION.contains(type)
                    && !indexedJars.computeIfAbsent(location(type), NativeReflectionTest::hasJandexIndex)) {
                notIndexed.put(type.getName() + " in " + location(type), via);
            }
        }
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(unregistered).as("our classes that Jackson reaches (class <- reached from): add them "
                    + "to NativeReflection").isEmpty();
            softly.assertThat(notKubernetesResources).as("classes outside our code that Jackson reaches but that the "
                    + "kubernetes-client extension does not register (class <- reached from): register them in "
                    + "NativeReflection").isEmpty();
            softly.assertThat(notIndexed).as("KubernetesResource classes in a jar without META-INF/jandex.idx, so "
                    + "outside Quarkus's index (class <- reached from): register them, or index the jar with "
                    + "quarkus.index-dependency").isEmpty();
        });
    }

    /**
     * From the roots, every class whose instances Jackson reads or writes: the types of the non-static, non-transient
     * fields (record components included) of each class and its superclasses, with their type arguments, and the type
     * arguments of its generic superclass (CustomResource's spec and status). JDK types end the walk. The value is
     * the class it was reached from.
     */
    private static Map<String, String> serializedClosure(Set<Class<?>> roots) {
        Map<String, String> reached = new TreeMap<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (Class<?> root : roots) {
            if (reached.putIfAbsent(root.getName(), "(root)") == null) {
                todo.add(root);
            }
        }
        while (!todo.isEmpty()) {
            Class<?> current = todo.poll();
            Set<Class<?>> next = new LinkedHashSet<>();
            for (Class<?> c = current; c != null && c != Object.class; c = c.getSuperclass()) {
                if (c.isRecord()) {
                    for (RecordComponent component : c.getRecordComponents()) {
                        classesIn(component.getGenericType(), next);
                    }
                }
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
                        classesIn(field.getGenericType(), next);
                    }
                }
                classesIn(c.getGenericSuperclass(), next);
            }
            for (Class<?> type : next) {
                if (serializedType(type) && reached.putIfAbsent(type.getName(), current.getName()) == null) {
                    todo.add(type);
                }
            }
        }
        return reached;
    }

    /**
     * Whether Jackson reads and writes the class with its own serializer and deserializer (Quantity): then it never
     * reflects on its fields or constructors, and the extension registers every JsonSerializer and JsonDeserializer
     * subclass of the index. The class must still be in an indexed jar, which the caller checks.
     */
    private static boolean customSerialized(Class<?> type) {
        JsonSerialize serialize = type.getAnnotation(JsonSerialize.class);
        JsonDeserialize deserialize = type.getAnnotation(JsonDeserialize.class);
        return serialize != null && serialize.using() != JsonSerializer.None.class && deserialize != null
                && deserialize.using() != JsonDeserializer.None.class;
    }

    /**
     * Any class but a primitive, an interface (Jackson needs the concrete class, which is reached elsewhere), a JDK
     * type or one of Jackson's own (JsonNode): those Jackson handles without reflection registrations of ours.
     */
    private static boolean serializedType(Class<?> type) {
        String name = type.getName();
        return !type.isPrimitive() && !type.isInterface() && !name.startsWith("java.") && !name.startsWith("javax.")
                && !name.startsWith("jdk.") && !name.startsWith("com.fasterxml.jackson.");
    }

    private static void classesIn(Type type, Set<Class<?>> out) {
        if (type instanceof Class<?> c) {
            out.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            classesIn(p.getRawType(), out);
            for (Type argument : p.getActualTypeArguments()) {
                classesIn(argument, out);
            }
        } else if (type instanceof GenericArrayType a) {
            classesIn(a.getGenericComponentType(), out);
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                classesIn(bound, out);
            }
        }
        // A type variable is resolved where its class is extended (the generic superclass's type arguments).
    }

    /**
     * The fabric8 model classes named in our compiled classes' constant pools (class references and descriptors),
     * except interfaces and builders, which Jackson never sees.
     */
    private static Set<Class<?>> referencedModelClasses() throws IOException, URISyntaxException {
        Set<Class<?>> found = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(classesDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                for (String utf8 : constantPoolStrings(file)) {
                    Matcher m = FABRIC8_MODEL_REF.matcher(utf8);
                    while (m.find()) {
                        Class<?> type = load(m.group().replace('/', '.'));
                        if (!type.isInterface() && !VisitableBuilder.class.isAssignableFrom(type)
                                && !BaseFluent.class.isAssignableFrom(type)) {
                            found.add(type);
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The CONSTANT_Utf8 entries of a class file: class names, descriptors and signatures among them (JVMS 4.4). */
    private static List<String> constantPoolStrings(Path classFile) throws IOException {
        List<String> strings = new ArrayList<>();
        try (InputStream in = Files.newInputStream(classFile); DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            data.readUnsignedShort(); // minor
            data.readUnsignedShort(); // major
            int count = data.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = data.readUnsignedByte();
                switch (tag) {
                    case 1 -> strings.add(data.readUTF());
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> data.skipNBytes(4);
                    case 5, 6 -> {
                        data.skipNBytes(8);
                        i++; // long and double take two entries
                    }
                    case 7, 8, 16, 19, 20 -> data.skipNBytes(2);
                    case 15 -> data.skipNBytes(3);
                    default -> throw new IOException(classFile + ": unknown constant pool tag " + tag);
                }
            }
        }
        return strings;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeReflectionTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " is referenced but cannot be loaded", e);
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasJandexIndex(Path jarOrDirectory) {
        if (Files.isDirectory(jarOrDirectory)) {
            return Files.exists(jarOrDirectory.resolve("META-INF/jandex.idx"));
        }
        try (JarFile jar = new JarFile(jarOrDirectory.toFile())) {
            return jar.getEntry("META-INF/jandex.idx") != null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path classesDir() throws URISyntaxException {
        return Path.of(NativeReflection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Binary names of the top-level and nested classes compiled into the serialized packages. */
    private static Set<String> compiledClasses() throws IOException, URISyntaxException {
        Path classes = classesDir();
        Set<String> names = new TreeSet<>();
        for (String pkg : SERIALIZED_PACKAGES) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                files.map(file -> file.getFileName().toString())
                        .filter(name -> name.endsWith(".class") && !name.equals("package-info.class"))
                        // Anonymous and local classes ($1, $1Local) are never a JSON type.
                        .filter(name -> !name.matches(".*\\$\\d.*"))
                        .map(name -> pkg + "." + name.substring(0, name.length() - ".class".length()))
                        .forEach(names::add);
            }
        }
        return names;
    }
}
